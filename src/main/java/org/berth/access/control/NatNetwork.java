package org.berth.access.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv4Prefix;
import org.berth.platform.value.MacAddress;

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
  public record Assignment(Ipv4Address ipv4, MacAddress mac) {}

  private final Ipv4Prefix subnet;
  private final Ipv4Address gateway;
  private final List<Ipv4Address> dns;
  private final long macPrefix;
  private final int macPrefixOctets;
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
    Ipv4Prefix written;
    try {
      written = Ipv4Prefix.parse(cidr);
    } catch (IllegalArgumentException e) {
      throw new Invalid("network", "must be an IPv4 subnet such as 10.77.0.0/24");
    }
    if (written.length() < 8 || written.length() > 30) {
      throw new Invalid("network", "the prefix length must be from 8 to 30");
    }
    this.subnet = written.subnet();
    if (written.hasHostBits()) {
      throw new Invalid("network", written + " has host bits set; the subnet is " + subnet);
    }
    this.gateway =
        gateway == null || gateway.isBlank()
            ? subnet.network().plus(1)
            : inside("gateway", gateway);
    List<Ipv4Address> servers = new ArrayList<>();
    for (String server : dns == null ? List.<String>of() : dns) {
      if (!Ipv4Address.isValid(server.strip())) {
        throw new Invalid("dns", "must be IPv4 addresses such as 10.77.0.1");
      }
      servers.add(Ipv4Address.parse(server));
    }
    this.dns = servers.isEmpty() ? List.of(this.gateway) : List.copyOf(servers);
    String prefix = macPrefix == null ? "" : macPrefix.strip().toLowerCase(Locale.ROOT);
    if (!MAC_PREFIX.matcher(prefix).matches()) {
      throw new Invalid(
          "mac-prefix", "must be one to five octets in hex separated by colons, such as 02:be:27");
    }
    this.macPrefixOctets = (prefix.length() + 1) / 3;
    this.macPrefix = Long.parseLong(prefix.replace(":", ""), 16);
    int first = (int) (this.macPrefix >>> (8 * (macPrefixOctets - 1)));
    if ((first & 0x02) == 0 || (first & 0x01) != 0) {
      throw new Invalid(
          "mac-prefix",
          "the first octet must be locally administered and unicast (x2, x6, xA or xE)");
    }
    if (8 * (6 - macPrefixOctets) < 32 - subnet.length()) {
      throw new Invalid(
          "mac-prefix",
          "leaves "
              + 8 * (6 - macPrefixOctets)
              + " bits for guests, but the network has "
              + (32 - subnet.length())
              + " host bits; use a shorter prefix");
    }
    if (bridge == null || !bridge.strip().matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new Invalid("bridge", "must be an interface name such as vmbr1");
    }
    this.bridge = bridge.strip();
  }

  private Ipv4Address inside(String part, String text) {
    if (!Ipv4Address.isValid(text.strip())) {
      throw new Invalid(part, "must be an IPv4 address such as 10.77.0.1");
    }
    Ipv4Address a = Ipv4Address.parse(text);
    if (!subnet.contains(a) || a.equals(subnet.network()) || a.equals(subnet.broadcast())) {
      throw new Invalid(part, "must be a host address inside " + subnet);
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
   * @param takenMacs the MACs of live guests
   * @param lastReleased when each address was last released
   */
  public Optional<Assignment> choose(
      Set<Ipv4Address> taken, Set<MacAddress> takenMacs, Map<Ipv4Address, Instant> lastReleased) {
    Assignment oldest = null;
    Instant oldestAt = null;
    for (Ipv4Address a = subnet.network().plus(1);
        a.compareTo(subnet.broadcast()) < 0;
        a = a.plus(1)) {
      if (a.equals(gateway) || dns.contains(a) || taken.contains(a)) {
        continue;
      }
      MacAddress mac = macOf(a);
      if (takenMacs.contains(mac)) {
        continue;
      }
      Instant released = lastReleased.get(a);
      if (released == null) {
        return Optional.of(new Assignment(a, mac));
      }
      if (oldestAt == null || released.isBefore(oldestAt)) {
        oldest = new Assignment(a, mac);
        oldestAt = released;
      }
    }
    return Optional.ofNullable(oldest);
  }

  /** The prefix followed by the address's offset in the subnet. */
  private MacAddress macOf(Ipv4Address address) {
    int guestBits = 8 * (6 - macPrefixOctets);
    return MacAddress.ofBits((macPrefix << guestBits) | subnet.offsetOf(address));
  }

  public String cidrText() {
    return subnet.toString();
  }

  public int prefixLength() {
    return subnet.length();
  }

  public String gateway() {
    return gateway.toString();
  }

  public List<String> dns() {
    return dns.stream().map(Ipv4Address::toString).toList();
  }

  public String bridge() {
    return bridge;
  }
}
