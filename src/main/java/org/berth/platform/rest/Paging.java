package org.berth.platform.rest;

import org.berth.platform.refusal.InvalidInput;

/**
 * The paging query parameters every list in the API takes, checked once: {@code offset} (a whole
 * number, 0 or more), {@code limit} (a whole number from 1 to 1000) and {@code order} ({@code asc}
 * or {@code desc}). Resources take them as text so that a value that is not a number is refused
 * here, naming the parameter, rather than by the runtime with a bare 404.
 */
public record Paging(int offset, int limit, boolean descending) {

  public static final int MAX_LIMIT = 1000;

  /** Checks the parameters; refuses the first that breaks its rule, naming it. */
  public static Paging of(String offset, String limit, String order) {
    int from = whole(offset, 0, Integer.MAX_VALUE, "offset", "must be a whole number, 0 or more");
    int size = whole(limit, 1, MAX_LIMIT, "limit", "must be a whole number from 1 to " + MAX_LIMIT);
    if (!"asc".equals(order) && !"desc".equals(order)) {
      throw new InvalidInput("order", "must be asc or desc");
    }
    return new Paging(from, size, "desc".equals(order));
  }

  /**
   * A whole-number query parameter from {@code min} to {@code max}; anything else (letters, a
   * fraction, a number out of range or beyond an int) is refused with {@code rule}.
   */
  public static int whole(String text, int min, int max, String parameter, String rule) {
    if (text == null || !text.strip().matches("[+-]?[0-9]{1,10}")) {
      throw new InvalidInput(parameter, rule);
    }
    long value = Long.parseLong(text.strip());
    if (value < min || value > max) {
      throw new InvalidInput(parameter, rule);
    }
    return (int) value;
  }
}
