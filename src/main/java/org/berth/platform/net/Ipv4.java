package org.berth.platform.net;

/**
 * Dotted IPv4 addresses as numbers and back, for ranges and subnets: the NAT network's addresses
 * and the ledger's address batches count with them. The text must already be a valid address;
 * checking it (and saying which field broke which rule) is the caller's part.
 */
public final class Ipv4 {

  private Ipv4() {}

  /** {@code 192.0.2.1} as the number 3221225985 (0 to 2^32 - 1). */
  public static long bits(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a dotted IPv4 address");
    }
    long value = 0;
    for (String part : parts) {
      int octet = Integer.parseInt(part);
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("not a dotted IPv4 address");
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  /** The number's lowest 32 bits as a dotted address. */
  public static String text(long bits) {
    return ((bits >>> 24) & 0xff)
        + "."
        + ((bits >>> 16) & 0xff)
        + "."
        + ((bits >>> 8) & 0xff)
        + "."
        + (bits & 0xff);
  }
}
