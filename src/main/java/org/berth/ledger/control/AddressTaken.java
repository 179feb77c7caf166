package org.berth.ledger.control;

import org.berth.platform.rest.ApiException;

/** An entry that someone else holds. */
public class AddressTaken extends ApiException {
  private static final long serialVersionUID = 1L;

  public AddressTaken(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String code() {
    return "address_taken";
  }
}
