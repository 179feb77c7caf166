package org.berth.requests.entity;

import org.berth.platform.refusal.Refusal;

/** A verb asked of a request in a state that does not allow it. */
public class IllegalTransition extends Refusal {
  private static final long serialVersionUID = 1L;

  public IllegalTransition(long id, RequestState from, String verb) {
    super(
        Kind.CONFLICT,
        "illegal_transition",
        "Request "
            + id
            + " is "
            + from.label().toLowerCase(java.util.Locale.ROOT)
            + " and cannot be "
            + verb);
  }
}
