package org.berth.access.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.berth.platform.net.Ipv4;

/**
 * The internal network of NAT guests: its IPv4 subnet, gateway and DNS servers, the hypervisor
 * bridge the guests are attached to, and the locally administered prefix of their MACs. It hands
 * out addresses in order, skipping the network and broadcast addresses, the gateway and the DNS
 * servers; a guest's MAC is the prefix followed by its address's offset in the subnet, so two
 * guests with different addresses never share a MAC.
 */
public final class NatNetwork {

  /** The internal network of NAT guests when {@code berth.nat.network} is not set. */
  public static final String DEFAULT = "10.77.0.0/24";

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern MAC_PREFIX = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){0,4}");

  /** A part of the network's settings that breaks its rule. */
  public static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String part;
    private final String rule;

    Invalid(String part, String rule) {
      super(part + ": " + rule);
      this.part = part;
      this.rule = rule;
    }

    /** The part: network, gateway, dns, mac-prefix or bridge. */
    public String part() {
      return part;
    }

    public String rule() {
      return rule;
    }
  }

  /** An address given to a guest, with the MAC that goes with it. */
  public record Assignment(String ipv4, String mac) {}

  private final int base;
  private final int prefixLength;
  private final int gateway;
  private final List<Integer> dns;
  private final byte[] macPrefix;
  private final String bridge;

  /**
   * @param cidr the subnet, such as {@code 10.77.0.0/24}; prefix length 8 to 30
   * @param gateway the guests' gateway inside the subnet, or null for the subnet's first address
   * @param dns the guests' DNS servers, or empty for the gateway
   * @param macPrefix one to five octets such as {@code 02:be:27}, locally administered and unicast,
   *     leaving at least as many bits as the subnet has host bits
   * @param bridge the hypervisor bridge of the internal network
   * @throws Invalid naming the part that breaks its rule
   */
  public NatNetwork(
      String cidr, String gateway, Collection<String> dns, String macPrefix, String bridge) {
    String[] parts = cidr == null ? new String[0] : cidr.strip().split("/", -1);
    if (parts.length != 2 || !IPV4.matcher(parts[0]).matches() || !parts[1].matches("\\d{1,2}")) {
      throw new Invalid("network", "must be an IPv4 subnet such as 10.77.0.0/24");
    }
    this.prefixLength = Integer.parseInt(parts[1]);
    if (prefixLength < 8 || prefixLength > 30) {
      throw new Invalid("network", "the prefix length must be from 8 to 30");
    }
    int address = toInt(parts[0]);
    this.base = address & mask();
    if (address != base) {
      throw new Invalid(
          "network", "" + cidr.strip() + " has host bits set; the subnet is " + cidrText());
    }
    this.gateway = gateway == null || gateway.isBlank() ? base + 1 : inside("gateway", gateway);
    List<Integer> servers = new ArrayList<>();
    for (String server : dns == null ? List.<String>of() : dns) {
      if (!IPV4.matcher(server.strip()).matches()) {
        throw new Invalid("dns", "must be IPv4 addresses such as 10.77.0.1");
      }
      servers.add(toInt(server.strip()));
    }
    this.dns = servers.isEmpty() ? List.of(this.gateway) : List.copyOf(servers);
    String prefix = macPrefix == null ? "" : macPrefix.strip().toLowerCase(Locale.ROOT);
    if (!MAC_PREFIX.matcher(prefix).matches()) {
      throw new Invalid(
          "mac-prefix", "must be one to five octets in hex separated by colons, such as 02:be:27");
    }
    this.macPrefix = HexFormat.ofDelimiter(":").parseHex(prefix);
    if ((this.macPrefix[0] & 0x02) == 0 || (this.macPrefix[0] & 0x01) != 0) {
      throw new Invalid(
          "mac-prefix",
          "the first octet must be locally administered and unicast (x2, x6, xA or" + " xE)");
    }
    if (8 * (6 - this.macPrefix.length) < 32 - prefixLength) {
      throw new Invalid(
          "mac-prefix",
          "leaves "
              + 8 * (6 - this.macPrefix.length)
              + " bits for guests, but the network has "
              + (32 - prefixLength)
              + " host bits; use a shorter prefix");
    }
    if (bridge == null || !bridge.strip().matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new Invalid("bridge", "must be an interface name such as vmbr1");
    }
    this.bridge = bridge.strip();
  }

  private int inside(String part, String text) {
    if (!IPV4.matcher(text.strip()).matches()) {
      throw new Invalid(part, "must be an IPv4 address such as 10.77.0.1");
    }
    int a = toInt(text.strip());
    if ((a & mask()) != base || a == base || a == broadcast()) {
      throw new Invalid(part, "must be a host address inside " + cidrText());
    }
    return a;
  }

  /**
   * The address to give the next guest: the first one that no live guest holds (nor its MAC, which
   * a guest assigned under an earlier network or prefix may hold) and that has never been given
   * out; when every free one has been, the one released longest ago. A name's old route or an old
   * SSH session may still point at a freshly released address, so it is the last to be reused.
   *
   * @param taken the addresses of live guests
   * @param takenMacs the MACs of live guests, upper case
   * @param lastReleased when each address was last released
   */
  public Optional<Assignment> choose(
      Set<String> taken, Set<String> takenMacs, Map<String, Instant> lastReleased) {
    Assignment oldest = null;
    Instant oldestAt = null;
    for (long a = (base & 0xffffffffL) + 1; a < (broadcast() & 0xffffffffL); a++) {
      int address = (int) a;
      String text = toText(address);
      if (address == gateway || dns.contains(address) || taken.contains(text)) {
        continue;
      }
      String mac = macOf(address);
      if (takenMacs.contains(mac)) {
        continue;
      }
      Instant released = lastReleased.get(text);
      if (released == null) {
        return Optional.of(new Assignment(text, mac));
      }
      if (oldestAt == null || released.isBefore(oldestAt)) {
        oldest = new Assignment(text, mac);
        oldestAt = released;
      }
    }
    return Optional.ofNullable(oldest);
  }

  private String macOf(int address) {
    byte[] mac = new byte[6];
    System.arraycopy(macPrefix, 0, mac, 0, macPrefix.length);
    long offset = (address - base) & 0xffffffffL;
    for (int i = 5; i >= macPrefix.length; i--) {
      mac[i] = (byte) offset;
      offset >>>= 8;
    }
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(mac);
  }

  public String cidrText() {
    return toText(base) + "/" + prefixLength;
  }

  public int prefixLength() {
    return prefixLength;
  }

  public String gateway() {
    return toText(gateway);
  }

  public List<String> dns() {
    return dns.stream().map(NatNetwork::toText).toList();
  }

  public String bridge() {
    return bridge;
  }

  private int mask() {
    return (int) (0xffffffffL << (32 - prefixLength));
  }

  private int broadcast() {
    return base | ~mask();
  }

  private static int toInt(String ipv4) {
    return (int) Ipv4.bits(ipv4);
  }

  private static String toText(int address) {
    return Ipv4.text(address);
  }
}
