package org.berth.requests.control;

import org.berth.platform.refusal.Refusal;

/** A request that does not exist, or that the caller may not see: the two look the same. */
public class UnknownRequest extends Refusal {
  private static final long serialVersionUID = 1L;

  public UnknownRequest(long id) {
    this(String.valueOf(id));
  }

  public UnknownRequest(String id) {
    super(
        Kind.NOT_FOUND,
        "not_found",
        "There is no request " + (id.length() > 20 ? id.substring(0, 20) + "…" : id));
  }

  /** Reads a request id from a path; anything that is not one is a request that does not exist. */
  public static long parseId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new UnknownRequest(text);
    }
  }
}
