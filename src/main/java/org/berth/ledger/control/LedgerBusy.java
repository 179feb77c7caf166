package org.berth.ledger.control;

import org.berth.platform.refusal.Refusal;

/** The remote kept moving while Berth tried to push; the caller may try again. */
public class LedgerBusy extends Refusal {
  private static final long serialVersionUID = 1L;

  public LedgerBusy(String message) {
    super(Kind.UNAVAILABLE, "ledger_busy", message);
  }
}
