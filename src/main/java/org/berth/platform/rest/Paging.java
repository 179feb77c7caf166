package org.berth.platform.rest;

/**
 * The paging query parameters every list in the API takes, checked once: {@code offset} (0 or
 * more), {@code limit} (1 to 1000) and {@code order} ({@code asc} or {@code desc}).
 */
public record Paging(int offset, int limit, boolean descending) {

  public static final int MAX_LIMIT = 1000;

  /** Checks the parameters; refuses the first that breaks its rule, naming it. */
  public static Paging of(int offset, int limit, String order) {
    if (offset < 0) {
      throw new InvalidInput("offset", "must be 0 or more");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInput("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (!"asc".equals(order) && !"desc".equals(order)) {
      throw new InvalidInput("order", "must be asc or desc");
    }
    return new Paging(offset, limit, "desc".equals(order));
  }
}
