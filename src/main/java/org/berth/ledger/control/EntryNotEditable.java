package org.berth.ledger.control;

import org.berth.platform.refusal.Refusal;

/**
 * An entry whose edit would not have come out as exactly that entry changed; nothing is written.
 * The layout rules of {@link LedgerFile} are meant to make this impossible: it is the last check
 * before a commit, not a rule people meet.
 */
public class EntryNotEditable extends Refusal {
  private static final long serialVersionUID = 1L;

  public EntryNotEditable(String message) {
    super(Kind.CONFLICT, "entry_not_editable", message);
  }
}
