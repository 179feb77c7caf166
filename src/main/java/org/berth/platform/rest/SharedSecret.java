package org.berth.platform.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A secret shared with another program that calls Berth (a Git server's push hook, the jump host's
 * key command), sent as {@code Authorization: Bearer <secret>}. Compared in constant time, over
 * hashes so that the length does not show either.
 */
public final class SharedSecret {

  private SharedSecret() {}

  /** The token of an {@code Authorization: Bearer} header, or null for any other header. */
  public static String bearer(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).strip()
        : null;
  }

  /** Whether {@code given} is the {@code expected} secret; false when none is configured. */
  public static boolean matches(String given, Optional<String> expected) {
    return expected.isPresent()
        && given != null
        && MessageDigest.isEqual(sha256(given), sha256(expected.get()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
