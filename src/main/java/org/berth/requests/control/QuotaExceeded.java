package org.berth.requests.control;

import org.berth.platform.rest.ApiException;

/** A request that would take its owner past their quota. */
public class QuotaExceeded extends ApiException {
  private static final long serialVersionUID = 1L;

  public QuotaExceeded(String owner, String what) {
    super("This would exceed the quota of " + owner + " (" + what + ")");
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String code() {
    return "quota_exceeded";
  }
}
