package org.berth.requests.control;

import org.berth.platform.refusal.Refusal;

/** A request that would take its owner past their quota. */
public class QuotaExceeded extends Refusal {
  private static final long serialVersionUID = 1L;

  public QuotaExceeded(String owner, String what) {
    super(
        Kind.CONFLICT,
        "quota_exceeded",
        "This would exceed the quota of " + owner + " (" + what + ")");
  }
}
