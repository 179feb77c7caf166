package org.berth.platform.value;

import inet.ipaddr.MACAddressString;
import inet.ipaddr.mac.MACAddress;

/**
 * A 48-bit MAC address, read in any common spelling ({@code DE:AD:BE:EF:00:01}, {@code
 * de-ad-be-ef-00-01}, {@code dead.beef.0001}, {@code deadbeef0001}) and compared by value.
 *
 * @param value the canonical form: lower case, colon-separated
 */
public record MacAddress(String value) implements Comparable<MacAddress> {

  public MacAddress {
    value = canonical(value);
  }

  public static MacAddress of(String text) {
    return new MacAddress(text);
  }

  /** The MAC whose 48 bits are the lowest 48 of {@code bits}. */
  public static MacAddress ofBits(long bits) {
    return new MacAddress(String.format("%012x", bits & 0xffff_ffff_ffffL));
  }

  /** The address as a number from 0 to 2^48 - 1, to count up from it. */
  public long bits() {
    return Long.parseLong(value.replace(":", ""), 16);
  }

  private static String canonical(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a MAC address is required");
    }
    String s = text.strip();
    if (s.matches("[0-9A-Fa-f]{12}")) {
      s = s.replaceAll("(..)(?!$)", "$1:");
    }
    MACAddress mac = new MACAddressString(s).getAddress();
    if (mac == null || mac.getSegmentCount() != 6 || mac.isMultiple()) {
      throw new IllegalArgumentException(
          "'" + text.strip() + "' is not a MAC address (six hex pairs, e.g. 52:54:00:12:34:56)");
    }
    return mac.toColonDelimitedString().toLowerCase(java.util.Locale.ROOT);
  }

  /** The address written the way {@code example} is: its separator and its letter case. */
  public String inStyleOf(String example) {
    String sep = ":";
    if (example != null) {
      if (example.contains("-")) {
        sep = "-";
      } else if (!example.contains(":")) {
        sep = example.contains(".") ? "." : "";
      }
    }
    String hex = value.replace(":", "");
    String out =
        switch (sep) {
          case "." -> hex.substring(0, 4) + "." + hex.substring(4, 8) + "." + hex.substring(8);
          case "" -> hex;
          default -> value.replace(":", sep);
        };
    boolean upper = example != null && example.chars().anyMatch(c -> c >= 'A' && c <= 'F');
    return upper ? out.toUpperCase(java.util.Locale.ROOT) : out;
  }

  @Override
  public int compareTo(MacAddress other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
