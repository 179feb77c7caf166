package org.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** OpenSSH public keys for tests, built in the wire format OpenSSH uses. */
public final class TestKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  /** A fresh ssh-ed25519 public key line with {@code comment}. */
  public static String ed25519(String comment) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return "ssh-ed25519 " + blob("ssh-ed25519", key) + (comment.isEmpty() ? "" : " " + comment);
  }

  /** The base64 blob of a key: its type and the given fields, each length-prefixed. */
  public static String blob(String type, byte[]... fields) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      byte[] t = type.getBytes(StandardCharsets.US_ASCII);
      out.writeInt(t.length);
      out.write(t);
      for (byte[] f : fields) {
        out.writeInt(f.length);
        out.write(f);
      }
      return Base64.getEncoder().encodeToString(bytes.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
