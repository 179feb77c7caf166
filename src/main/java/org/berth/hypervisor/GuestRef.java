package org.berth.hypervisor;

import org.berth.platform.value.GuestPlace;

/** Where one guest is: its kind, node and id on the cluster (a Proxmox VMID). */
public record GuestRef(GuestType type, String node, int vmid) {

  /** The guest of this type at that place. */
  public static GuestRef at(GuestType type, GuestPlace place) {
    return new GuestRef(type, place.node(), place.vmid());
  }

  /** Its node and VMID, as a request records them. */
  public GuestPlace place() {
    return new GuestPlace(node, vmid);
  }

  @Override
  public String toString() {
    return (type == GuestType.VM ? "VM " : "container ") + vmid + " on " + node;
  }
}
