package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.NodeCapacity;

/**
 * The hypervisor as admins see it: what it is, its nodes with their capacity and Berth's guests.
 */
@ApplicationScoped
public class ClusterOverview {

  @Inject Hypervisor hypervisor;
  @Inject NodeSlots slots;
  @Inject ProvisioningSettings settings;

  /** One node: its capacity, how many guests Berth is creating there, and Berth's guests on it. */
  public record Node(NodeCapacity capacity, int creating, int slots, List<GuestStatus> guests) {

    public long memoryUsePercent() {
      return capacity.memoryMib() == 0 ? 0 : 100 * capacity.usedMemoryMib() / capacity.memoryMib();
    }
  }

  /**
   * @param error why the cluster could not be read, or null
   */
  public record Overview(String description, boolean simulated, List<Node> nodes, String error) {}

  public Overview overview() {
    String description = hypervisor.description();
    try {
      Cluster cluster = hypervisor.cluster();
      Map<String, Integer> busy = slots.busy();
      List<Node> nodes =
          cluster.nodes().stream()
              .map(
                  n ->
                      new Node(
                          n,
                          busy.getOrDefault(n.name(), 0),
                          settings.nodeConcurrency(),
                          cluster.berthGuests().stream()
                              .filter(g -> g.ref().node().equals(n.name()))
                              .toList()))
              .toList();
      return new Overview(description, hypervisor.simulated(), nodes, null);
    } catch (HypervisorFailure e) {
      return new Overview(description, false, List.of(), e.getMessage());
    }
  }
}
