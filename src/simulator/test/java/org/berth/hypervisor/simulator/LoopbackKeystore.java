package org.berth.hypervisor.simulator;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A PKCS12 keystore with one self-signed EC key for 127.0.0.1, made by the JDK's {@code keytool},
 * for tests of HTTPS on loopback (the simulator's, and its clients' trust).
 */
public final class LoopbackKeystore {

  private LoopbackKeystore() {}

  /**
   * Writes the keystore to {@code file}, its key under {@code alias}, both with {@code password}.
   */
  public static Path create(Path file, String alias, String password)
      throws IOException, InterruptedException {
    keytool(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        file.toString(),
        "-storepass",
        password,
        "-keypass",
        password);
    return file;
  }

  /** Runs the JDK's {@code keytool} with {@code args}; fails with its output unless it succeeds. */
  public static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    String[] command = new String[args.length + 1];
    command[0] = keytool.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
    }
  }

  /** A TLS context that trusts exactly the certificate in {@code keystore}. */
  public static javax.net.ssl.SSLContext trusting(Path keystore, String password)
      throws java.security.GeneralSecurityException, IOException {
    java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(keystore)) {
      trusted.load(in, password.toCharArray());
    }
    javax.net.ssl.TrustManagerFactory trust =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return tls;
  }
}
