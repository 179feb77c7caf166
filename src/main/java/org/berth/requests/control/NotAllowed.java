package org.berth.requests.control;

import org.berth.platform.refusal.Refusal;

/** The caller's role does not allow this action. */
public class NotAllowed extends Refusal {
  private static final long serialVersionUID = 1L;

  public NotAllowed(String message) {
    super(Kind.FORBIDDEN, "forbidden", message);
  }
}
