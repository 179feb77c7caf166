package org.berth.requests.control;

import org.berth.platform.refusal.Refusal;

/** Someone else changed the request between reading and writing it. */
public class ConcurrentChange extends Refusal {
  private static final long serialVersionUID = 1L;

  public ConcurrentChange(long id) {
    super(
        Kind.CONFLICT,
        "concurrent_change",
        "Request " + id + " was changed by someone else at the same time; reload it and try again");
  }
}
