package org.berth.provisioning.control;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.NodeCapacity;

/**
 * Chooses the node for a new guest: among the online nodes that take its kind of guest and whose
 * free memory fits it, the one with the most free memory. Free memory is what the hypervisor
 * reports minus what guests Berth is still creating there will take, so that guests approved
 * together spread out.
 */
public final class Placement {

  /** The outcome: a node, or wait for a slot, or no node has room. */
  public record Decision(String node, boolean waitForSlot, String noRoom) {

    static Decision on(String node) {
      return new Decision(node, false, null);
    }

    public Optional<String> chosen() {
      return Optional.ofNullable(node);
    }
  }

  private Placement() {}

  /**
   * @param reservedMib memory of guests being created per node
   * @param busySlots guests being created per node
   * @param slots how many guests may be created at once per node
   */
  public static Decision choose(
      List<NodeCapacity> nodes,
      Map<String, Long> reservedMib,
      Map<String, Integer> busySlots,
      GuestType type,
      int memoryMib,
      int slots) {
    List<NodeCapacity> taking = nodes.stream().filter(n -> n.takes(type)).toList();
    if (taking.isEmpty() && !nodes.isEmpty()) {
      return new Decision(
          null,
          false,
          "no node takes "
              + kinds(Set.of(type))
              + " ("
              + nodes.stream()
                  .map(n -> n.name() + ": " + kinds(n.takes()) + " only")
                  .collect(Collectors.joining(", "))
              + ")");
    }
    List<NodeCapacity> fitting =
        taking.stream()
            .filter(NodeCapacity::online)
            .filter(n -> free(n, reservedMib) >= memoryMib)
            .sorted(Comparator.comparingLong((NodeCapacity n) -> free(n, reservedMib)).reversed())
            .toList();
    if (fitting.isEmpty()) {
      return new Decision(null, false, noRoom(taking, reservedMib, memoryMib));
    }
    return fitting.stream()
        .filter(n -> busySlots.getOrDefault(n.name(), 0) < slots)
        .findFirst()
        .map(n -> Decision.on(n.name()))
        .orElse(new Decision(null, true, null));
  }

  /** Whether {@code node} still fits the guest, for a guest whose node is already chosen. */
  public static boolean fits(NodeCapacity node, Map<String, Long> reservedMib, int memoryMib) {
    return node.online() && free(node, reservedMib) >= memoryMib;
  }

  private static String kinds(Set<GuestType> types) {
    return types.stream()
        .sorted()
        .map(t -> t == GuestType.VM ? "VMs" : "containers")
        .collect(Collectors.joining(" and "));
  }

  private static long free(NodeCapacity n, Map<String, Long> reservedMib) {
    return n.freeMemoryMib() - reservedMib.getOrDefault(n.name(), 0L);
  }

  private static String noRoom(
      List<NodeCapacity> nodes, Map<String, Long> reservedMib, int memoryMib) {
    if (nodes.isEmpty()) {
      return "the cluster reports no nodes";
    }
    return "no online node has "
        + memoryMib
        + " MiB of memory free ("
        + nodes.stream()
            .map(
                n ->
                    n.online()
                        ? n.name() + ": " + Math.max(0, free(n, reservedMib)) + " MiB free"
                        : n.name() + ": offline")
            .collect(Collectors.joining(", "))
        + ")";
  }
}
