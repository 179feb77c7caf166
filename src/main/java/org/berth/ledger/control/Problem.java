package org.berth.ledger.control;

/**
 * Something wrong in the ledger, where a person can find it.
 *
 * @param file the file's path in the ledger repository
 * @param line the 1-based line, 0 if the problem is the whole file
 * @param host the entry's host as written, or {@code null} where it has none
 * @param message what is wrong, naming the key and the rule
 */
public record Problem(String file, int line, String host, String message) {

  @Override
  public String toString() {
    return file
        + (line > 0 ? ":" + line : "")
        + (host == null || host.isBlank() ? "" : " (" + host + ")")
        + ": "
        + message;
  }
}
