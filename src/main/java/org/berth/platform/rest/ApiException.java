package org.berth.platform.rest;

/**
 * A failure a feature reports to API callers with its own status and code. Features extend it (for
 * example {@code AddressTaken} is 409 {@code address_taken}); the message is for a person and names
 * the field and rule where there is one.
 */
@jakarta.ejb.ApplicationException(inherited = true)
public abstract class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String rule;

  protected ApiException(String message) {
    super(message);
    this.field = null;
    this.rule = message;
  }

  /**
   * A refusal about one request field: the message is {@code field: rule}, and pages show the rule
   * beside the field's input.
   */
  protected ApiException(String field, String rule) {
    super(field + ": " + rule);
    this.field = field;
    this.rule = rule;
  }

  /** The request field the refusal is about (API field names), or null. */
  public String field() {
    return field;
  }

  /** The message without its field. */
  public String rule() {
    return rule;
  }

  /** The HTTP status, 4xx for the caller's mistakes. */
  public abstract int status();

  /** The stable machine-readable code. */
  public abstract String code();
}
