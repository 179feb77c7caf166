package org.berth.platform.refusal;

/**
 * Something Berth refuses to do, of a kind and with a stable code (for example {@code AddressTaken}
 * is a {@link Kind#CONFLICT} with code {@code address_taken}). The message is for a person and
 * names the field and the rule where there is one. Features extend it; the domain never speaks
 * HTTP.
 */
@jakarta.ejb.ApplicationException(inherited = true)
public abstract class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal it is; the REST API answers 400, 403, 404, 409 and 503 for them. */
  public enum Kind {
    /** The input breaks a rule. */
    INVALID,
    /** The caller may not do this. */
    FORBIDDEN,
    /** There is no such thing, or the caller may not see it. */
    NOT_FOUND,
    /** The state of things does not allow it now (taken, held, changed meanwhile, full). */
    CONFLICT,
    /** A part Berth needs is away or busy; the same request may succeed later. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final String code;
  private final String field;
  private final String rule;

  protected Refusal(Kind kind, String code, String message) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.field = null;
    this.rule = message;
  }

  /**
   * A refusal about one input field: the message is {@code field: rule}, and pages show the rule
   * beside the field's input.
   */
  protected Refusal(Kind kind, String code, String field, String rule) {
    super(field + ": " + rule);
    this.kind = kind;
    this.code = code;
    this.field = field;
    this.rule = rule;
  }

  public Kind kind() {
    return kind;
  }

  /** The stable machine-readable code, such as {@code address_taken}. */
  public String code() {
    return code;
  }

  /** The input field the refusal is about (API field names), or null. */
  public String field() {
    return field;
  }

  /** The message without its field. */
  public String rule() {
    return rule;
  }
}
