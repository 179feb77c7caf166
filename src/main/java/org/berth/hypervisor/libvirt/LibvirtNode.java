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
 * @param dhcpNetwork a libvirt network on the node whose DHCP server hands each guest on its bridge
 *     the guest's own address for its MAC, or null
 */
public record LibvirtNode(String name, String vmUri, String containerUri, String dhcpNetwork) {

  public LibvirtNode(String name, String vmUri, String containerUri) {
    this(name, vmUri, containerUri, null);
  }

  public Optional<String> containers() {
    return Optional.ofNullable(containerUri);
  }

  public Optional<String> dhcp() {
    return Optional.ofNullable(dhcpNetwork);
  }
}
