package org.berth.requests.control;

import org.berth.platform.refusal.Refusal;

/**
 * The ledger remote did not say whether a claim landed. The request is kept; a job finds out from
 * the ledger and records the claim or removes the request.
 */
public class ClaimPending extends Refusal {
  private static final long serialVersionUID = 1L;

  public ClaimPending(long id, String host, String cause) {
    super(
        Kind.UNAVAILABLE,
        "claim_pending",
        "Request "
            + id
            + " is kept, but the ledger did not confirm the claim of "
            + host
            + " ("
            + cause
            + "); Berth checks the ledger and completes or removes the request within minutes");
  }
}
