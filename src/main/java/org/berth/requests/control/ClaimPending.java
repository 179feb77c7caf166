package org.berth.requests.control;

import org.berth.platform.rest.ApiException;

/**
 * The ledger remote did not say whether a claim landed. The request is kept; a job finds out from
 * the ledger and records the claim or removes the request.
 */
public class ClaimPending extends ApiException {
  private static final long serialVersionUID = 1L;

  public ClaimPending(long id, String host, String cause) {
    super(
        "Request "
            + id
            + " is kept, but the ledger did not confirm the claim of "
            + host
            + " ("
            + cause
            + "); Berth checks the ledger and completes or removes the request within minutes");
  }

  @Override
  public int status() {
    return 503;
  }

  @Override
  public String code() {
    return "claim_pending";
  }
}
