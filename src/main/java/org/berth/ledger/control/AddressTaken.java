package org.berth.ledger.control;

import org.berth.platform.rest.ApiException;

/** An entry that someone else holds. */
public class AddressTaken extends ApiException {
  private static final long serialVersionUID = 1L;

  public AddressTaken(String message) {
    super(message);
  }

  /** Taken, as the answer about a request field that names the entry. */
  public AddressTaken(String field, String rule) {
    super(field, rule);
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
