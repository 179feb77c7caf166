package org.berth.platform.value;

/**
 * Where a guest is on the cluster: its node and its VMID (Proxmox VE's id of a VM or container, 100
 * to 999,999,999, unique across the cluster).
 *
 * @param node the node's name
 * @param vmid the guest's id
 */
public record GuestPlace(String node, int vmid) {

  public static final int MIN_VMID = 100;
  public static final int MAX_VMID = 999_999_999;

  public GuestPlace {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("a guest's place needs its node");
    }
    if (vmid < MIN_VMID || vmid > MAX_VMID) {
      throw new IllegalArgumentException(
          "a VMID is from " + MIN_VMID + " to " + MAX_VMID + ", not " + vmid);
    }
  }

  @Override
  public String toString() {
    return vmid + " on " + node;
  }
}
