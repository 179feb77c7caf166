package org.berth.provisioning.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.NodeCapacity;
import org.junit.jupiter.api.Test;

class PlacementTest {

  static final List<NodeCapacity> NODES =
      List.of(
          new NodeCapacity("sim1", true, 65536, 2048, 16, 0.1),
          new NodeCapacity("sim2", true, 131072, 100000, 32, 0.5),
          new NodeCapacity("sim3", false, 262144, 0, 8, 0));

  @Test
  void picksTheOnlineNodeWithTheMostFreeMemory() {
    Placement.Decision d = Placement.choose(NODES, Map.of(), Map.of(), GuestType.VM, 2048, 4);
    // sim3 has the most memory but is offline; sim1 has 63488 MiB free, sim2 31072.
    assertThat(d.node()).isEqualTo("sim1");
  }

  @Test
  void guestsBeingCreatedCountAgainstTheirNode() {
    Placement.Decision d =
        Placement.choose(NODES, Map.of("sim1", 40000L), Map.of(), GuestType.VM, 2048, 4);
    assertThat(d.node()).isEqualTo("sim2");
  }

  @Test
  void aFullNodeIsPassedOverForOneWithAFreeSlot() {
    Placement.Decision d =
        Placement.choose(NODES, Map.of(), Map.of("sim1", 4), GuestType.VM, 2048, 4);
    assertThat(d.node()).isEqualTo("sim2");
  }

  @Test
  void waitsWhenEveryFittingNodeIsBusy() {
    Placement.Decision d =
        Placement.choose(NODES, Map.of(), Map.of("sim1", 4, "sim2", 4), GuestType.VM, 2048, 4);
    assertThat(d.chosen()).isEmpty();
    assertThat(d.waitForSlot()).isTrue();
    assertThat(d.noRoom()).isNull();
  }

  @Test
  void saysWhyNoNodeHasRoom() {
    Placement.Decision d = Placement.choose(NODES, Map.of(), Map.of(), GuestType.VM, 100000, 4);
    assertThat(d.chosen()).isEmpty();
    assertThat(d.waitForSlot()).isFalse();
    assertThat(d.noRoom())
        .isEqualTo(
            "no online node has 100000 MiB of memory free"
                + " (sim1: 63488 MiB free, sim2: 31072 MiB free, sim3: offline)");
  }

  @Test
  void aContainerGoesOnlyToANodeThatTakesContainers() {
    List<NodeCapacity> nodes =
        List.of(
            new NodeCapacity("kvm1", true, 65536, 0, 16, 0, Set.of(GuestType.VM)),
            new NodeCapacity("kvm2", true, 8192, 0, 4, 0, EnumSet.allOf(GuestType.class)));
    assertThat(Placement.choose(nodes, Map.of(), Map.of(), GuestType.CONTAINER, 512, 4).node())
        .isEqualTo("kvm2");
    assertThat(Placement.choose(nodes, Map.of(), Map.of(), GuestType.VM, 512, 4).node())
        .isEqualTo("kvm1");
  }

  @Test
  void saysWhenNoNodeTakesTheKindOfGuest() {
    List<NodeCapacity> nodes =
        List.of(
            new NodeCapacity("kvm1", true, 65536, 0, 16, 0, Set.of(GuestType.VM)),
            new NodeCapacity("kvm2", false, 65536, 0, 16, 0, Set.of(GuestType.VM)));
    Placement.Decision d = Placement.choose(nodes, Map.of(), Map.of(), GuestType.CONTAINER, 512, 4);
    assertThat(d.chosen()).isEmpty();
    assertThat(d.waitForSlot()).isFalse();
    assertThat(d.noRoom()).isEqualTo("no node takes containers (kvm1: VMs only, kvm2: VMs only)");
  }
}
