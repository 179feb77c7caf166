package org.berth.ledger.control;

import org.berth.platform.refusal.Refusal;

/** An entry that someone else holds. */
public class AddressTaken extends Refusal {
  private static final long serialVersionUID = 1L;

  public AddressTaken(String message) {
    super(Kind.CONFLICT, "address_taken", message);
  }

  /** Taken, as the answer about a request field that names the entry. */
  public AddressTaken(String field, String rule) {
    super(Kind.CONFLICT, "address_taken", field, rule);
  }
}
