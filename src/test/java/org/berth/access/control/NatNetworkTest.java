package org.berth.access.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.berth.access.control.NatNetwork.Assignment;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;
import org.junit.jupiter.api.Test;

class NatNetworkTest {

  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  static NatNetwork net(String cidr) {
    return new NatNetwork(cidr, null, List.of(), "02:be:27", "vmbr1");
  }

  static Assignment next(NatNetwork n, Set<String> taken) {
    return choose(n, taken, Set.of(), Map.of()).orElseThrow();
  }

  /** The network's choice, with addresses and MACs as people write them. */
  static Optional<Assignment> choose(
      NatNetwork n, Set<String> taken, Set<String> takenMacs, Map<String, Instant> released) {
    Map<Ipv4Address, Instant> releasedAt = new HashMap<>();
    released.forEach((ip, at) -> releasedAt.put(Ipv4Address.parse(ip), at));
    return n.choose(
        taken.stream().map(Ipv4Address::parse).collect(Collectors.toSet()),
        takenMacs.stream().map(MacAddress::of).collect(Collectors.toSet()),
        releasedAt);
  }

  static Assignment a(String ipv4, String mac) {
    return new Assignment(Ipv4Address.parse(ipv4), MacAddress.of(mac));
  }

  @Test
  void handsOutAddressesInOrderSkippingNetworkGatewayAndDns() {
    NatNetwork n = new NatNetwork("10.77.0.0/24", null, List.of("10.77.0.2"), "02:be:27", "vmbr1");
    assertThat(n.gateway()).isEqualTo("10.77.0.1");
    assertThat(n.dns()).containsExactly("10.77.0.2");
    assertThat(next(n, Set.of())).isEqualTo(a("10.77.0.3", "02:BE:27:00:00:03"));
    assertThat(next(n, Set.of("10.77.0.3", "10.77.0.4")))
        .isEqualTo(a("10.77.0.5", "02:BE:27:00:00:05"));
  }

  @Test
  void aReleasedAddressIsReusedOnlyWhenEveryOtherHasBeenUsedAndThenTheOldestReleaseFirst() {
    NatNetwork n = net("10.77.0.0/29");
    Map<String, Instant> released =
        Map.of("10.77.0.2", T0.plusSeconds(60), "10.77.0.3", T0, "10.77.0.4", T0.plusSeconds(30));
    assertThat(choose(n, Set.of(), Set.of(), released).orElseThrow().ipv4().toString())
        .as("never used yet")
        .isEqualTo("10.77.0.5");
    assertThat(
            choose(n, Set.of("10.77.0.5", "10.77.0.6"), Set.of(), released)
                .orElseThrow()
                .ipv4()
                .toString())
        .as("released longest ago")
        .isEqualTo("10.77.0.3");
  }

  @Test
  void aFullNetworkHasNoFreeAddressAndNeverHandsOutTheBroadcast() {
    NatNetwork n = net("10.77.0.0/29");
    Set<String> taken = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      taken.add(next(n, taken).ipv4().toString());
    }
    assertThat(taken)
        .containsExactlyInAnyOrder("10.77.0.2", "10.77.0.3", "10.77.0.4", "10.77.0.5", "10.77.0.6");
    assertThat(choose(n, taken, Set.of(), Map.of())).isEmpty();
  }

  @Test
  void aMacIsThePrefixFollowedByTheAddressOffsetSoDistinctAddressesHaveDistinctMacs() {
    NatNetwork n = new NatNetwork("10.64.0.0/12", "10.64.0.1", List.of(), "0a:42:99", "vmbr1");
    assertThat(next(n, Set.of("10.64.0.2"))).isEqualTo(a("10.64.0.3", "0A:42:99:00:00:03"));
    Set<String> taken = new HashSet<>(Set.of("10.64.0.2"));
    for (int i = 3; i <= 0x3ff; i++) {
      taken.add("10.64." + (i >> 8) + "." + (i & 0xff));
    }
    assertThat(next(n, taken)).isEqualTo(a("10.64.4.0", "0A:42:99:00:04:00"));
  }

  @Test
  void skipsAnAddressWhoseMacIsHeldByAGuestOfAnEarlierNetwork() {
    NatNetwork n = net("10.88.0.0/24");
    assertThat(choose(n, Set.of(), Set.of("02:BE:27:00:00:02"), Map.of()))
        .contains(a("10.88.0.3", "02:BE:27:00:00:03"));
  }

  @Test
  void refusesBadSettingsNamingThePartAndTheRule() {
    assertThatThrownBy(() -> net("10.77.0.0")).hasMessageStartingWith("network: must be");
    assertThatThrownBy(() -> net("10.77.0.5/24")).hasMessageContaining("host bits set");
    assertThatThrownBy(() -> net("10.0.0.0/31")).hasMessageContaining("from 8 to 30");
    assertThatThrownBy(() -> new NatNetwork("10.77.0.0/24", "10.78.0.1", List.of(), "02", "vmbr1"))
        .isInstanceOfSatisfying(
            NatNetwork.Invalid.class,
            e -> {
              assertThat(e.part()).isEqualTo("gateway");
              assertThat(e.rule()).isEqualTo("must be a host address inside 10.77.0.0/24");
            });
    assertThatThrownBy(
            () -> new NatNetwork("10.77.0.0/24", null, List.of("dns.example"), "02", "vmbr1"))
        .hasMessageStartingWith("dns: must be IPv4");
    assertThatThrownBy(() -> new NatNetwork("10.77.0.0/24", null, List.of(), "00:11", "vmbr1"))
        .hasMessageContaining("locally administered");
    assertThatThrownBy(() -> new NatNetwork("10.77.0.0/24", null, List.of(), "03:11", "vmbr1"))
        .hasMessageContaining("unicast");
    assertThatThrownBy(() -> new NatNetwork("10.0.0.0/8", null, List.of(), "02:00:00:00", "vmbr1"))
        .hasMessageContaining("leaves 16 bits for guests, but the network has 24 host bits");
    assertThatThrownBy(() -> new NatNetwork("10.77.0.0/24", null, List.of(), "02", "vmbr1;x"))
        .isInstanceOfSatisfying(
            NatNetwork.Invalid.class, e -> assertThat(e.part()).isEqualTo("bridge"));
  }
}
