package org.berth.ledger.control;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.regex.Pattern;

/** Strict reading of IP address literals into their canonical text; never a DNS lookup. */
public final class IpAddresses {

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private IpAddresses() {}

  /** A dotted-quad IPv4 address without leading zeros, as written. */
  public static String ipv4(String text) {
    String s = text == null ? "" : text.strip();
    if (!IPV4.matcher(s).matches()) {
      throw new IllegalArgumentException(
          "'" + s + "' is not an IPv4 address (four numbers 0 to 255, e.g. 192.0.2.10)");
    }
    return s;
  }

  /** An IPv6 address in its canonical compressed lower-case form (RFC 5952). */
  public static String ipv6(String text) {
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
}
