package org.berth.ledger.control;

/**
 * The remote could not be reached (refused, unknown, timed out or missing before a connection was
 * open), so nothing was sent to it: a change that failed with this was certainly not pushed.
 */
public class LedgerUnreachable extends LedgerRemoteUnavailable {
  private static final long serialVersionUID = 1L;

  public LedgerUnreachable(String message, Throwable cause) {
    super(message, cause);
  }
}
