package org.berth.hypervisor;

/** What kind of guest: a virtual machine or a system container. */
public enum GuestType {
  VM,
  CONTAINER
}
