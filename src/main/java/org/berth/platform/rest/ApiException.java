package org.berth.platform.rest;

/**
 * A failure a feature reports to API callers with its own status and code. Features extend it (for
 * example {@code AddressTaken} is 409 {@code address_taken}); the message is for a person and names
 * the field and rule where there is one.
 */
@jakarta.ejb.ApplicationException(inherited = true)
public abstract class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected ApiException(String message) {
    super(message);
  }

  /** The HTTP status, 4xx for the caller's mistakes. */
  public abstract int status();

  /** The stable machine-readable code. */
  public abstract String code();
}
