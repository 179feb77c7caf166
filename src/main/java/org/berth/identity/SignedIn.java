package org.berth.identity;

import java.io.Serializable;
import java.time.Instant;

/**
 * A page session's sign-in: who, since when, and the provider's ID token (kept in the session only,
 * to end the provider's session on sign-out; null for the demo's accounts).
 */
record SignedIn(Account account, Instant at, String idToken) implements Serializable {

  @Override
  public String toString() {
    return "SignedIn[" + account.username() + " at " + at + "]";
  }
}
