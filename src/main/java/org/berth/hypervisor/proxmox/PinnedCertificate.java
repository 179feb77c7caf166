package org.berth.hypervisor.proxmox;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.berth.platform.config.InvalidSetting;

/**
 * Trusts exactly one server certificate, named by its SHA-256 fingerprint: the way Proxmox clusters
 * with their own self-signed certificates are usually trusted. Being an extended trust manager, it
 * also takes the place of the host name check.
 */
final class PinnedCertificate extends X509ExtendedTrustManager {

  private final byte[] expected;

  PinnedCertificate(String fingerprint) {
    String hex = fingerprint.replace(":", "").strip().toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new InvalidSetting(
          "berth.proxmox.fingerprint",
          "must be a SHA-256 fingerprint, 64 hex digits (colons allowed)");
    }
    expected = HexFormat.of().parseHex(hex);
  }

  static String fingerprintOf(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    byte[] actual;
    try {
      actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new CertificateException(e);
    }
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new CertificateException(
          "the server's certificate has fingerprint "
              + fingerprintOf(chain[0])
              + ", not the configured one");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("not a server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("not a server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("not a server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
