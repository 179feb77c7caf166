package org.berth.hypervisor;

/** A node of the cluster with its memory and CPUs; memory in MiB. */
public record NodeCapacity(
    String name, boolean online, long memoryMib, long usedMemoryMib, int cpus, double cpuLoad) {

  public long freeMemoryMib() {
    return Math.max(0, memoryMib - usedMemoryMib);
  }
}
