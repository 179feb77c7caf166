package org.berth.hypervisor;

/** The cluster already has a guest with the id Berth chose; Berth moves on to another id. */
public class VmidTaken extends HypervisorFailure {
  private static final long serialVersionUID = 1L;

  public VmidTaken(int vmid, String message) {
    super("VMID " + vmid + " is already in use on the cluster: " + message, false);
  }
}
