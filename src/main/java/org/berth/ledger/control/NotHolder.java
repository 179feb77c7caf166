package org.berth.ledger.control;

import org.berth.platform.refusal.Refusal;

/** The entry is free, or held by someone else than the one releasing it. */
public class NotHolder extends Refusal {
  private static final long serialVersionUID = 1L;

  public NotHolder(String message) {
    super(Kind.CONFLICT, "not_holder", message);
  }
}
