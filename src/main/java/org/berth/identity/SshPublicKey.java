package org.berth.identity;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One OpenSSH public key as {@code authorized_keys} holds it: {@code type base64 [comment]}, on one
 * line, without options. The key blob is decoded and read field by field, so a truncated or
 * mislabelled key is refused here and never reaches a guest or the jump host.
 *
 * @param type the key type, such as {@code ssh-ed25519}
 * @param blob the key in base64, as given
 * @param comment the comment, possibly empty
 */
public record SshPublicKey(String type, String blob, String comment) {

  /** Key types Berth accepts, with the number of length-prefixed fields after the type name. */
  private static final Map<String, Integer> TYPES =
      Map.of(
          "ssh-ed25519", 1,
          "ssh-rsa", 2,
          "ecdsa-sha2-nistp256", 2,
          "ecdsa-sha2-nistp384", 2,
          "ecdsa-sha2-nistp521", 2,
          "sk-ssh-ed25519@openssh.com", 2,
          "sk-ecdsa-sha2-nistp256@openssh.com", 3);

  private static final Pattern COMMENT = Pattern.compile("[\\p{Print}&&[^\\p{Cntrl}]]{0,200}");
  private static final Pattern KEY_IN_COMMENT =
      Pattern.compile(
          "(^|\\s)(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-\\S+|sk-\\S+@openssh\\.com)\\s+AAAA");

  public SshPublicKey {
    if (!TYPES.containsKey(type)) {
      throw new IllegalArgumentException(
          "'" + shorten(type) + "' is not a supported key type (use " + supported() + ")");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(blob);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + type + " key is not valid base64 (truncated?)");
    }
    readBlob(type, bytes);
    comment = comment == null ? "" : comment.strip();
    if (!COMMENT.matcher(comment).matches()) {
      throw new IllegalArgumentException(
          "the key's comment must be printable ASCII of at most 200 characters");
    }
    if (KEY_IN_COMMENT.matcher(comment).find()) {
      throw new IllegalArgumentException("put one key per line: this line holds several keys");
    }
  }

  /** Parses one {@code authorized_keys} line; refuses options, several keys and broken keys. */
  public static SshPublicKey parse(String line) {
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException(
          "is empty; paste a public key such as ssh-ed25519 AAAA...");
    }
    String text = line.strip();
    if (text.contains("\n") || text.contains("\r")) {
      throw new IllegalArgumentException("put one key per line: this entry holds several lines");
    }
    if (text.startsWith("-----BEGIN") || text.contains("PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "this looks like a private key; paste the public key (the .pub file)");
    }
    String[] parts = text.split("\\s+", 3);
    if (!TYPES.containsKey(parts[0])) {
      if (parts[0].contains("=") || parts[0].contains(",")) {
        throw new IllegalArgumentException(
            "key options such as command=, from= or no-pty are not allowed; paste the key alone");
      }
      throw new IllegalArgumentException(
          "'" + shorten(parts[0]) + "' is not a supported key type (use " + supported() + ")");
    }
    if (parts.length < 2) {
      throw new IllegalArgumentException("the " + parts[0] + " key has no key data after its type");
    }
    return new SshPublicKey(parts[0], parts[1], parts.length > 2 ? parts[2] : "");
  }

  /** The key as one {@code authorized_keys} line. */
  public String line() {
    return comment.isEmpty() ? type + " " + blob : type + " " + blob + " " + comment;
  }

  /** The OpenSSH fingerprint, {@code SHA256:} and unpadded base64 of the blob's hash. */
  public String fingerprint() {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(blob));
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return type + " " + fingerprint() + (comment.isEmpty() ? "" : " " + comment);
  }

  private static void readBlob(String type, byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    String declared = new String(field(type, in), StandardCharsets.US_ASCII);
    if (!declared.equals(type)) {
      throw new IllegalArgumentException(
          "the key data is a '" + shorten(declared) + "' key, but the line says " + type);
    }
    byte[] first = null;
    byte[] second = null;
    for (int i = 0; i < TYPES.get(type); i++) {
      byte[] f = field(type, in);
      if (i == 0) {
        first = f;
      } else if (i == 1) {
        second = f;
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("the " + type + " key has extra data after its end");
    }
    if (type.equals("ssh-ed25519") && first.length != 32) {
      throw new IllegalArgumentException("the ssh-ed25519 key is not 32 bytes long (truncated?)");
    }
    if (type.equals("ssh-rsa") && new BigInteger(1, second).bitLength() < 2048) {
      throw new IllegalArgumentException("RSA keys must have at least 2048 bits");
    }
  }

  private static byte[] field(String type, ByteBuffer in) {
    if (in.remaining() < 4) {
      throw new IllegalArgumentException("the " + type + " key data ends early (truncated?)");
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("the " + type + " key data ends early (truncated?)");
    }
    byte[] field = new byte[length];
    in.get(field);
    return field;
  }

  private static String supported() {
    return "ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 or a security-key type";
  }

  private static String shorten(String s) {
    String t = s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
    return t.length() > 40 ? t.substring(0, 40) + "…" : t;
  }
}
