package org.berth.provisioning.control;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.berth.hypervisor.NodeCapacity;

/**
 * Chooses the node for a new guest: among the online nodes whose free memory fits the guest, the
 * one with the most free memory. Free memory is what the hypervisor reports minus what guests Berth
 * is still creating there will take, so that guests approved together spread out.
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
      int memoryMib,
      int slots) {
    List<NodeCapacity> fitting =
        nodes.stream()
            .filter(NodeCapacity::online)
            .filter(n -> free(n, reservedMib) >= memoryMib)
            .sorted(Comparator.comparingLong((NodeCapacity n) -> free(n, reservedMib)).reversed())
            .toList();
    if (fitting.isEmpty()) {
      return new Decision(null, false, noRoom(nodes, reservedMib, memoryMib));
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
