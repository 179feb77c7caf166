package org.berth.hypervisor;

import java.util.EnumSet;
import java.util.Set;

/**
 * A node of the cluster with its memory and CPUs; memory in MiB. {@code takes} names the kinds of
 * guest the node can hold: a libvirt node without a container connection takes VMs only.
 */
public record NodeCapacity(
    String name,
    boolean online,
    long memoryMib,
    long usedMemoryMib,
    int cpus,
    double cpuLoad,
    Set<GuestType> takes) {

  public NodeCapacity {
    takes = Set.copyOf(takes);
  }

  /** A node that takes VMs and containers alike, as every Proxmox VE node does. */
  public NodeCapacity(
      String name, boolean online, long memoryMib, long usedMemoryMib, int cpus, double cpuLoad) {
    this(name, online, memoryMib, usedMemoryMib, cpus, cpuLoad, EnumSet.allOf(GuestType.class));
  }

  public long freeMemoryMib() {
    return Math.max(0, memoryMib - usedMemoryMib);
  }

  public boolean takes(GuestType type) {
    return takes.contains(type);
  }
}
