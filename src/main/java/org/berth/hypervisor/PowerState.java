package org.berth.hypervisor;

/** A guest's power state as the hypervisor reports it; UNKNOWN when its node is unreachable. */
public enum PowerState {
  RUNNING,
  STOPPED,
  UNKNOWN;

  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
