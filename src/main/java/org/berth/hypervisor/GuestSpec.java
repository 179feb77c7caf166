package org.berth.hypervisor;

import java.util.List;

/**
 * Everything the hypervisor needs to create one guest for a request.
 *
 * @param template a VM template's VMID for a VM, an OS template volume ({@code local:vztmpl/...})
 *     for a container
 * @param fullClone for a VM: a full copy of the template, or a linked clone
 * @param ipv4 an address with its prefix length ({@code 192.0.2.10/24}), {@code dhcp}, or null
 * @param ipv6 an address with its prefix length, {@code dhcp}, {@code auto}, or null
 * @param nameservers the guest's DNS servers; empty leaves the hypervisor's default
 * @param user the OS user cloud-init creates with the SSH keys (VMs)
 */
public record GuestSpec(
    long requestId,
    String owner,
    GuestRef ref,
    String name,
    String template,
    boolean fullClone,
    int cores,
    int memoryMib,
    int diskGib,
    String bridge,
    String mac,
    String ipv4,
    String gateway4,
    String ipv6,
    String gateway6,
    List<String> nameservers,
    String user,
    List<String> sshKeys) {

  public GuestSpec {
    nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
    sshKeys = List.copyOf(sshKeys);
  }

  /** The tag every guest Berth creates carries, and the one that names its request. */
  public static final String TAG = "berth";

  public static String requestTag(long requestId) {
    return "berth-request-" + requestId;
  }

  /** The line in a guest's description that names its request. */
  public static String requestMark(long requestId) {
    return "berth-request-id: " + requestId;
  }

  public String description() {
    return "Created by Berth for "
        + owner
        + " (request "
        + requestId
        + "). Berth deletes it when the lease ends.\n"
        + requestMark(requestId)
        + "\n";
  }
}
