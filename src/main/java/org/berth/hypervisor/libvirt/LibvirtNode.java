package org.berth.hypervisor.libvirt;

import java.util.Optional;

/**
 * One libvirt host Berth creates guests on.
 *
 * @param name the node's name in Berth (requests record it; pages show it)
 * @param vmUri the connection for VMs, such as {@code qemu:///system} or {@code
 *     qemu+ssh://berth@kvm1/system}
 * @param containerUri the connection for containers ({@code lxc:///}, {@code
 *     lxc+ssh://berth@kvm1/}), or null when the node takes no containers
 */
public record LibvirtNode(String name, String vmUri, String containerUri) {

  public Optional<String> containers() {
    return Optional.ofNullable(containerUri);
  }
}
