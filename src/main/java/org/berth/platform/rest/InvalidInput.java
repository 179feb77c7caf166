package org.berth.platform.rest;

/** A request field that breaks a rule: 400, naming the field and the rule. */
public class InvalidInput extends ApiException {
  private static final long serialVersionUID = 1L;

  public InvalidInput(String field, String rule) {
    super(field + ": " + rule);
  }

  /**
   * Runs {@code read}, turning an {@link IllegalArgumentException} into a refusal of {@code field}.
   */
  public static <T> T check(String field, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidInput(field, e.getMessage());
    }
  }

  @Override
  public int status() {
    return 400;
  }

  @Override
  public String code() {
    return "invalid_input";
  }
}
