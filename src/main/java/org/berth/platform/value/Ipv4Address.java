package org.berth.platform.value;

import java.util.regex.Pattern;

/**
 * An IPv4 address, held as its 32 bits so that ranges and subnets can count with it. It reads only
 * the dotted-quad form without leading zeros ({@code 192.0.2.10}) and never looks a name up.
 *
 * @param bits the address as a number from 0 to 2^32 - 1
 */
public record Ipv4Address(long bits) implements Comparable<Ipv4Address> {

  private static final Pattern DOTTED =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  public Ipv4Address {
    if (bits < 0 || bits > 0xffffffffL) {
      throw new IllegalArgumentException("an IPv4 address is a number from 0 to 2^32 - 1");
    }
  }

  /**
   * Reads a dotted-quad address.
   *
   * @throws IllegalArgumentException with the rule, naming the text, when it is not one
   */
  public static Ipv4Address parse(String text) {
    String s = text == null ? "" : text.strip();
    if (!isValid(s)) {
      throw new IllegalArgumentException(
          "'" + s + "' is not an IPv4 address (four numbers 0 to 255, e.g. 192.0.2.10)");
    }
    long value = 0;
    for (String octet : s.split("\\.")) {
      value = (value << 8) | Integer.parseInt(octet);
    }
    return new Ipv4Address(value);
  }

  /** Whether the text is a dotted-quad address without leading zeros. */
  public static boolean isValid(String text) {
    return text != null && DOTTED.matcher(text).matches();
  }

  /** The address {@code n} further on (or back, for negative {@code n}). */
  public Ipv4Address plus(long n) {
    return new Ipv4Address(bits + n);
  }

  @Override
  public int compareTo(Ipv4Address other) {
    return Long.compare(bits, other.bits);
  }

  @Override
  public String toString() {
    return ((bits >>> 24) & 0xff)
        + "."
        + ((bits >>> 16) & 0xff)
        + "."
        + ((bits >>> 8) & 0xff)
        + "."
        + (bits & 0xff);
  }
}
