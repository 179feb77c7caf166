package org.berth.ledger.control;

import org.berth.platform.refusal.Refusal;

/** The ledger's Git remote could not be reached or refused Berth for another reason than a race. */
public class LedgerRemoteUnavailable extends Refusal {
  private static final long serialVersionUID = 1L;

  public LedgerRemoteUnavailable(String message, Throwable cause) {
    // Transport messages may repeat the remote's address with its credentials: strip them.
    // The cause is not kept: its own message and stack may carry them too.
    super(
        Kind.UNAVAILABLE,
        "ledger_unavailable",
        GitLedger.safe(message + (cause == null ? "" : ": " + cause.getMessage())));
  }
}
