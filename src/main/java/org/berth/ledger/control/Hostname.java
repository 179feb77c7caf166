package org.berth.ledger.control;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A DNS host name (RFC 1123): labels of letters, digits and inner hyphens, 1 to 63 characters each,
 * 253 in all. Compared without regard to case; kept in lower case.
 */
public record Hostname(String value) implements Comparable<Hostname> {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public Hostname {
    String s = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty() || s.length() > 253) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a host name (1 to 253 characters)");
    }
    for (String label : s.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            "'"
                + value.strip()
                + "' is not a host name (labels of letters, digits and inner hyphens, at most 63"
                + " characters, separated by dots)");
      }
    }
    value = s;
  }

  public static Hostname of(String text) {
    return new Hostname(text);
  }

  @Override
  public int compareTo(Hostname other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
