package org.berth.platform.value;

/**
 * An IPv4 address with a prefix length, as written in {@code 10.77.0.0/24}: a subnet, or an address
 * inside one. The subnet's addresses are counted from {@link #network()} to {@link #broadcast()}.
 *
 * @param address the address as written, which may have host bits set
 * @param length the prefix length, 0 to 32
 */
public record Ipv4Prefix(Ipv4Address address, int length) {

  public Ipv4Prefix {
    if (address == null) {
      throw new IllegalArgumentException("a prefix needs an address");
    }
    if (length < 0 || length > 32) {
      throw new IllegalArgumentException("the prefix length must be from 0 to 32");
    }
  }

  /**
   * Reads {@code ADDRESS/LENGTH}.
   *
   * @throws IllegalArgumentException with the rule, naming the text, when it is not one
   */
  public static Ipv4Prefix parse(String text) {
    String s = text == null ? "" : text.strip();
    int slash = s.indexOf('/');
    if (slash < 0
        || !Ipv4Address.isValid(s.substring(0, slash))
        || !s.substring(slash + 1).matches("\\d{1,2}")) {
      throw new IllegalArgumentException(
          "'"
              + s
              + "' is not an IPv4 subnet (an address, a slash and a prefix length, e.g."
              + " 10.77.0.0/24)");
    }
    return new Ipv4Prefix(
        Ipv4Address.parse(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)));
  }

  /** How many addresses the subnet has, its network and broadcast addresses among them. */
  public long size() {
    return 1L << (32 - length);
  }

  /** The subnet's first address: the address with its host bits cleared. */
  public Ipv4Address network() {
    return new Ipv4Address(address.bits() & ~(size() - 1));
  }

  /** The subnet's last address: the address with its host bits set. */
  public Ipv4Address broadcast() {
    return new Ipv4Address(network().bits() + size() - 1);
  }

  /** Whether the address as written has host bits set, so that it is no subnet's own address. */
  public boolean hasHostBits() {
    return !address.equals(network());
  }

  /** Whether {@code a} is in the subnet (its network and broadcast addresses included). */
  public boolean contains(Ipv4Address a) {
    return a.bits() >= network().bits() && a.bits() <= broadcast().bits();
  }

  /** How far {@code a} is from the network address. */
  public long offsetOf(Ipv4Address a) {
    return a.bits() - network().bits();
  }

  /** The subnet itself, as {@code NETWORK/LENGTH}. */
  public Ipv4Prefix subnet() {
    return new Ipv4Prefix(network(), length);
  }

  @Override
  public String toString() {
    return address + "/" + length;
  }
}
