package org.berth.hypervisor;

/** Where one guest is: its kind, node and id on the cluster (a Proxmox VMID). */
public record GuestRef(GuestType type, String node, int vmid) {

  @Override
  public String toString() {
    return (type == GuestType.VM ? "VM " : "container ") + vmid + " on " + node;
  }
}
