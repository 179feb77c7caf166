package org.berth.ledger.control;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a ledger entry may carry, so that the jump host, the reverse proxy and the NAT
 * network can trust them: never a loopback, link-local, multicast, unspecified or broadcast
 * address, never one inside the NAT network (whose addresses Berth hands out itself), and, when
 * guest networks are configured, only one inside them.
 *
 * @param guestNetworks the networks ledger addresses may be in; empty allows any other address
 * @param natNetwork the NAT guests' network, if any
 */
public record AddressRules(List<IPAddress> guestNetworks, Optional<IPAddress> natNetwork) {

  /** Only the special-purpose ranges are refused: for tools and tests without settings. */
  public static final AddressRules SPECIAL_RANGES_ONLY =
      new AddressRules(List.of(), Optional.empty());

  public AddressRules {
    guestNetworks = List.copyOf(guestNetworks);
  }

  /**
   * Reads a comma-separated list of networks in CIDR notation (IPv4 and IPv6) and the NAT network.
   *
   * @throws IllegalArgumentException naming the network that is not one
   */
  public static AddressRules of(String guestNetworks, String natNetwork) {
    List<IPAddress> networks = new ArrayList<>();
    if (guestNetworks != null) {
      for (String piece : guestNetworks.split(",")) {
        if (!piece.isBlank()) {
          networks.add(network(piece.strip()));
        }
      }
    }
    return new AddressRules(
        networks,
        natNetwork == null || natNetwork.isBlank()
            ? Optional.empty()
            : Optional.of(network(natNetwork.strip())));
  }

  private static IPAddress network(String cidr) {
    IPAddress address = new IPAddressString(cidr).getAddress();
    if (address == null || !address.isPrefixed()) {
      throw new IllegalArgumentException(
          "'" + cidr + "' is not a network such as 192.0.2.0/24 or 2001:db8::/64");
    }
    return address.toPrefixBlock();
  }

  /** The rule {@code literal} breaks, as the end of a sentence, if it breaks one. */
  public Optional<String> problem(String literal) {
    IPAddress a = literal == null ? null : new IPAddressString(literal).getAddress();
    if (a == null) {
      return Optional.empty(); // the format is checked where the entry is read
    }
    if (a.isLoopback()) {
      return Optional.of("is a loopback address");
    }
    if (a.isMulticast()) {
      return Optional.of("is a multicast address");
    }
    if (a.isLinkLocal()) {
      return Optional.of("is a link-local address");
    }
    if (a.isAnyLocal()) {
      return Optional.of("is the unspecified address");
    }
    if (a.isIPv4() && a.isMax()) {
      return Optional.of("is the broadcast address");
    }
    if (natNetwork.isPresent() && natNetwork.get().contains(a)) {
      return Optional.of("is inside the NAT network " + natNetwork.get());
    }
    if (!guestNetworks.isEmpty() && guestNetworks.stream().noneMatch(n -> n.contains(a))) {
      return Optional.of("is outside the guest networks (berth.ledger.guest-networks)");
    }
    return Optional.empty();
  }

  /**
   * Whether the jump host may forward to, and the proxy route to, {@code literal}: an address in
   * the NAT network, or a ledger address these rules allow.
   */
  public boolean reachable(String literal) {
    IPAddress a = literal == null ? null : new IPAddressString(literal).getAddress();
    if (a == null) {
      return false;
    }
    if (natNetwork.isPresent() && natNetwork.get().contains(a)) {
      return !a.isLoopback();
    }
    return problem(literal).isEmpty();
  }
}
