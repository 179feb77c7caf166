package org.berth.identity;

import java.io.Serializable;

/** What went wrong with a sign-in, for the sign-in problem page. */
public record SignInProblem(SignInRefused.Reason reason, String detail) implements Serializable {

  /** Whether signing in again may help (it does not for a blocked account or a bad name). */
  public boolean isRetryable() {
    return reason != SignInRefused.Reason.BLOCKED && reason != SignInRefused.Reason.ACCOUNT_NAME;
  }
}
