package org.berth.hypervisor.simulator;

import java.util.List;

/** One node of the simulated cluster: the size of its machine and whether it answers. */
final class Node {

  static final List<String> BRIDGES = List.of("vmbr0", "vmbr1");

  final String name;
  final long maxmem;
  final int maxcpu;
  final long maxdisk;
  long bootMillis = System.currentTimeMillis();
  boolean online = true;

  Node(String name, long maxmem, int maxcpu, long maxdisk) {
    this.name = name;
    this.maxmem = maxmem;
    this.maxcpu = maxcpu;
    this.maxdisk = maxdisk;
  }
}
