package org.berth.platform.value;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * An IPv6 address in its canonical text: compressed and lower case (RFC 5952), so that two
 * spellings of one address are equal. No zone, no prefix, never a name lookup.
 *
 * @param text the canonical text
 */
public record Ipv6Address(String text) implements Comparable<Ipv6Address> {

  public Ipv6Address {
    text = canonical(text);
  }

  /**
   * Reads an IPv6 address in any valid spelling.
   *
   * @throws IllegalArgumentException with the rule, naming the text, when it is not one
   */
  public static Ipv6Address parse(String text) {
    return new Ipv6Address(text);
  }

  /** The address whose last 32 bits are {@code v4}'s and whose others are {@code prefix}'s. */
  public static Ipv6Address embedding(Ipv6Address prefix, Ipv4Address v4) {
    byte[] bytes = new IPAddressString(prefix.text).getAddress().getBytes();
    for (int b = 0; b < 4; b++) {
      bytes[15 - b] = (byte) (v4.bits() >> (8 * b));
    }
    try {
      return new Ipv6Address(java.net.InetAddress.getByAddress(bytes).getHostAddress());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // 16 bytes are always an address
    }
  }

  private static String canonical(String text) {
    String s = text == null ? "" : text.strip();
    IPAddress address = s.contains(":") ? new IPAddressString(s).getAddress() : null;
    if (address == null
        || !address.isIPv6()
        || address.isPrefixed()
        || address.isMultiple()
        || s.contains("%")) {
      throw new IllegalArgumentException("'" + s + "' is not an IPv6 address (e.g. 2001:db8::10)");
    }
    return address.toCanonicalString();
  }

  @Override
  public int compareTo(Ipv6Address other) {
    return text.compareTo(other.text);
  }

  @Override
  public String toString() {
    return text;
  }
}
