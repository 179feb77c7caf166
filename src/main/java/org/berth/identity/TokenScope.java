package org.berth.identity;

/** What a personal API token may do: {@code read} (GET and HEAD only) or {@code write}. */
public enum TokenScope {
  READ("read"),
  WRITE("write");

  private final String label;

  TokenScope(String label) {
    this.label = label;
  }

  /** The scope as the API spells it. */
  public String label() {
    return label;
  }

  /** The scope spelled {@code label}; anything else is refused. */
  public static TokenScope of(String label) {
    for (TokenScope s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("must be read or write");
  }
}
