package org.berth.ledger.control;

import org.berth.platform.refusal.Refusal;

/** No ledger entry has this host name. */
public class UnknownEntry extends Refusal {
  private static final long serialVersionUID = 1L;

  public UnknownEntry(String message) {
    super(Kind.NOT_FOUND, "unknown_entry", message);
  }
}
