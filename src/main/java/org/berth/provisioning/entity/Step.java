package org.berth.provisioning.entity;

/** The steps of provisioning one guest, in order. A container is configured as it is created. */
public enum Step {
  /** Choose a node and a VMID, and take a slot on the node. */
  PLACE,
  /**
   * Clone the VM template, or create the container; a guest found with the request's mark is
   * adopted.
   */
  CREATE,
  /** Size, network, user, keys, name and marks; the VM's disk is grown. */
  CONFIGURE,
  /** Start the guest. */
  START,
  /** The guest is ready. */
  DONE;

  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
