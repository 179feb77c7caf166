package org.berth.hypervisor.libvirt;

import java.time.Duration;
import java.util.List;

/**
 * How Berth reaches its libvirt hosts.
 *
 * @param nodes the hosts, in the order placement prefers when their free memory is equal
 * @param pool the storage pool, on every node, that holds the templates' volumes and the guests'
 *     disks and seeds
 * @param virsh the {@code virsh} program
 * @param timeout how long one virsh call may take (copying a template for a full clone is the
 *     longest)
 * @param shutdownPoll how often a shutdown looks whether the guest has stopped
 */
public record LibvirtSettings(
    List<LibvirtNode> nodes, String pool, String virsh, Duration timeout, Duration shutdownPoll) {

  public LibvirtSettings {
    nodes = List.copyOf(nodes);
  }
}
