package org.berth.ledger.control;

import org.berth.platform.refusal.Refusal;

/** The ledger's head does not validate, so Berth makes no change until a fixing commit arrives. */
public class LedgerInvalid extends Refusal {
  private static final long serialVersionUID = 1L;

  public LedgerInvalid(String message) {
    super(Kind.CONFLICT, "ledger_invalid", message);
  }
}
