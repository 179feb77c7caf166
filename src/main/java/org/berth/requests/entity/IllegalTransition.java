package org.berth.requests.entity;

import org.berth.platform.rest.ApiException;

/** A verb asked of a request in a state that does not allow it. */
public class IllegalTransition extends ApiException {
  private static final long serialVersionUID = 1L;

  public IllegalTransition(long id, RequestState from, String verb) {
    super(
        "Request "
            + id
            + " is "
            + from.label().toLowerCase(java.util.Locale.ROOT)
            + " and cannot be "
            + verb);
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String code() {
    return "illegal_transition";
  }
}
