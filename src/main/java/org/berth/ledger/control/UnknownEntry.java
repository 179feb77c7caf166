package org.berth.ledger.control;

import org.berth.platform.rest.ApiException;

/** No ledger entry has this host name. */
public class UnknownEntry extends ApiException {
  private static final long serialVersionUID = 1L;

  public UnknownEntry(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 404;
  }

  @Override
  public String code() {
    return "unknown_entry";
  }
}
