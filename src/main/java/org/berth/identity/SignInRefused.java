package org.berth.identity;

/**
 * A sign-in through the identity provider that cannot go ahead. The reason is a code the sign-in
 * problem page explains; the detail is safe to show to the person signing in (never a token or
 * secret).
 */
public class SignInRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a sign-in was refused. */
  public enum Reason {
    /** The provider could not be reached or answered nonsense. */
    PROVIDER_UNAVAILABLE,
    /** The provider said no (the person cancelled, or the client is misconfigured). */
    PROVIDER_REFUSED,
    /** The sign-in came back without a matching start: an old tab, a replay, or a forged link. */
    STALE,
    /** The tokens did not check out. */
    INVALID_TOKEN,
    /** The account name breaks {@link AccountName}'s rule. */
    ACCOUNT_NAME,
    /** The person has neither the developer nor the admin role. */
    NO_ROLE,
    /** An admin blocked the person. */
    BLOCKED
  }

  private final Reason reason;
  private final String detail;

  public SignInRefused(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
    this.detail = detail;
  }

  public Reason reason() {
    return reason;
  }

  /** What to tell the person, without secrets. */
  public String detail() {
    return detail;
  }
}
