package org.berth.access.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.berth.access.control.NatNetwork.Assignment;
import org.junit.jupiter.api.Test;

class NatNetworkTest {

  static NatNetwork net(String cidr) {
    return new NatNetwork(cidr, null, List.of(), "02:be:27", "vmbr1");
  }

  @Test
  void handsOutAddressesInOrderSkippingNetworkGatewayAndDns() {
    NatNetwork n = new NatNetwork("10.77.0.0/24", null, List.of("10.77.0.2"), "02:be:27", "vmbr1");
    assertThat(n.gateway()).isEqualTo("10.77.0.1");
    assertThat(n.dns()).containsExactly("10.77.0.2");
    assertThat(n.firstFree(Set.of())).contains(new Assignment("10.77.0.3", "02:BE:27:00:00:03"));
    assertThat(n.firstFree(Set.of("10.77.0.3", "10.77.0.4")))
        .contains(new Assignment("10.77.0.5", "02:BE:27:00:00:05"));
    assertThat(n.capacity()).isEqualTo(252);
  }

  @Test
  void skipsAnAddressWhoseMacIsHeldByAGuestOfAnEarlierNetwork() {
    NatNetwork n = net("10.88.0.0/24");
    assertThat(n.firstFree(Set.of(), Set.of("02:BE:27:00:00:02")))
        .contains(new Assignment("10.88.0.3", "02:BE:27:00:00:03"));
  }

  @Test
  void aFullNetworkHasNoFreeAddressAndNeverHandsOutTheBroadcast() {
    NatNetwork n = net("10.77.0.0/29");
    Set<String> taken = new HashSet<>();
    for (int i = 0; i < n.capacity(); i++) {
      Assignment a = n.firstFree(taken).orElseThrow();
      assertThat(taken.add(a.ipv4())).isTrue();
    }
    assertThat(taken)
        .containsExactlyInAnyOrder("10.77.0.2", "10.77.0.3", "10.77.0.4", "10.77.0.5", "10.77.0.6");
    assertThat(n.firstFree(taken)).isEmpty();
  }

  @Test
  void macsFollowTheAddressOffsetSoDistinctAddressesHaveDistinctMacs() {
    NatNetwork n = new NatNetwork("10.64.0.0/12", "10.64.0.1", List.of(), "0a:42:99", "vmbr1");
    Set<String> taken = new HashSet<>();
    taken.add("10.64.0.2");
    assertThat(n.firstFree(taken).orElseThrow().mac()).isEqualTo("0A:42:99:00:00:03");
    Set<String> hosts = Set.of("10.79.255.254", "10.64.1.0");
    assertThat(n.contains("10.79.255.254")).isTrue();
    assertThat(n.contains("10.80.0.1")).isFalse();
    assertThat(hosts).allMatch(n::contains);
  }

  @Test
  void refusesBadSettingsNamingThePartAndTheRule() {
    assertThatThrownBy(() -> net("10.77.0.0")).hasMessageStartingWith("network: must be");
    assertThatThrownBy(() -> net("10.77.0.5/24")).hasMessageContaining("host bits set");
    assertThatThrownBy(() -> net("10.0.0.0/31")).hasMessageContaining("from 8 to 30");
    assertThatThrownBy(() -> new NatNetwork("10.77.0.0/24", "10.78.0.1", List.of(), "02", "vmbr1"))
        .hasMessageStartingWith("gateway: must be a host address inside 10.77.0.0/24");
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
        .hasMessageStartingWith("bridge:");
  }
}
