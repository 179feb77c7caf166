package org.berth.ledger.control;

import org.berth.platform.refusal.Refusal;

/**
 * An admin tried to release or retire an entry that a request still holds: the ledger would say
 * free (or forget the entry) under a live guest. 409 {@code entry_in_use}, naming the request;
 * deleting the guest releases the entry.
 */
public class EntryInUse extends Refusal {
  private static final long serialVersionUID = 1L;

  private final long requestId;

  public EntryInUse(String host, long requestId, String state) {
    super(
        Kind.CONFLICT,
        "entry_in_use",
        host
            + " is held by request "
            + requestId
            + " ("
            + state
            + "); delete that request's guest to release it");
    this.requestId = requestId;
  }

  /** The request that holds the entry. */
  public long requestId() {
    return requestId;
  }
}
