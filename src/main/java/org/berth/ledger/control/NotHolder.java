package org.berth.ledger.control;

import org.berth.platform.rest.ApiException;

/** The entry is free, or held by someone else than the one releasing it. */
public class NotHolder extends ApiException {
  private static final long serialVersionUID = 1L;

  public NotHolder(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String code() {
    return "not_holder";
  }
}
