package org.berth.ledger.control;

import org.berth.platform.rest.ApiException;

/** The remote kept moving while Berth tried to push; the caller may try again. */
public class LedgerBusy extends ApiException {
  private static final long serialVersionUID = 1L;

  public LedgerBusy(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 503;
  }

  @Override
  public String code() {
    return "ledger_busy";
  }
}
