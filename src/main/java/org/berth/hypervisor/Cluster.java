package org.berth.hypervisor;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** One look at the whole cluster: its nodes and every guest on it (Berth's and others). */
public record Cluster(List<NodeCapacity> nodes, List<GuestStatus> guests) {

  public List<GuestStatus> berthGuests() {
    return guests.stream().filter(GuestStatus::berths).toList();
  }

  public Set<Integer> vmids() {
    return guests.stream().map(g -> g.ref().vmid()).collect(Collectors.toSet());
  }

  public Optional<GuestStatus> guest(int vmid) {
    return guests.stream().filter(g -> g.ref().vmid() == vmid).findFirst();
  }

  public Optional<NodeCapacity> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }
}
