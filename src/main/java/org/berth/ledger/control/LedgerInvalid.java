package org.berth.ledger.control;

import org.berth.platform.rest.ApiException;

/** The ledger's head does not validate, so Berth makes no change until a fixing commit arrives. */
public class LedgerInvalid extends ApiException {
  private static final long serialVersionUID = 1L;

  public LedgerInvalid(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String code() {
    return "ledger_invalid";
  }
}
