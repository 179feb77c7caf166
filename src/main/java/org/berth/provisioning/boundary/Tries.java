package org.berth.provisioning.boundary;

import java.time.Instant;

/**
 * Where a power or snapshot job stands between its runs: how many attempts failed, and since when
 * the guest has been locked by another task (a backup, a migration), if it is. Waiting out a lock
 * is no failed attempt, but it has its own patience ({@link Provisioner#LOCK_PATIENCE}).
 *
 * <p>In the job's data it is {@code FAILURES}, or {@code FAILURES@EPOCH-SECONDS} while the guest is
 * locked: no colon, which separates the data's fields.
 */
record Tries(int failures, Instant lockedSince) {

  static final Tries FIRST = new Tries(0, null);

  /** After a failed attempt: one more, and any lock wait over. */
  Tries failed() {
    return new Tries(failures + 1, null);
  }

  /** While the guest is locked: since when, kept from the first look that found it locked. */
  Tries locked(Instant now) {
    return lockedSince == null ? new Tries(failures, now) : this;
  }

  String encode() {
    return lockedSince == null
        ? Integer.toString(failures)
        : failures + "@" + lockedSince.getEpochSecond();
  }

  /** Reads {@link #encode()}'s form; a missing or strange one is a first try. */
  static Tries decode(String text) {
    if (text == null || !text.matches("\\d{1,9}(@\\d{1,12})?")) {
      return FIRST;
    }
    int at = text.indexOf('@');
    return at < 0
        ? new Tries(Integer.parseInt(text), null)
        : new Tries(
            Integer.parseInt(text.substring(0, at)),
            Instant.ofEpochSecond(Long.parseLong(text.substring(at + 1))));
  }
}
