package org.berth.access.proxy;

/**
 * A route field that breaks its rule. The message names the field and the rule, never the value,
 * which may hold anything a caller typed.
 */
public class InvalidRoute extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String rule;

  public InvalidRoute(String field, String rule) {
    super(field + ": " + rule);
    this.field = field;
    this.rule = rule;
  }

  public String field() {
    return field;
  }

  public String rule() {
    return rule;
  }
}
