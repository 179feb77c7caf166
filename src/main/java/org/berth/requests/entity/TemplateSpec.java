package org.berth.requests.entity;

import java.util.LinkedHashMap;
import java.util.Map;
import org.berth.platform.refusal.InvalidInput;

/**
 * A template's settings, checked as a whole: every broken rule is reported with its field.
 *
 * @param hypervisorRef what the hypervisor knows the template by: on Proxmox VE a template VMID for
 *     VMs and an {@code ostemplate} volume such as {@code
 *     local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst} for containers; on libvirt the name of
 *     the template's volumes ({@code debian-12})
 * @param fullClone VMs only: a full copy of the template VM rather than a linked clone
 * @param maxSnapshots how many snapshots a guest made from it may keep at once, 0 to {@value
 *     #MOST_SNAPSHOTS}; 0 offers none
 */
public record TemplateSpec(
    String name,
    GuestKind kind,
    String hypervisorRef,
    String osUser,
    String description,
    int defaultCores,
    int maxCores,
    int defaultMemoryMib,
    int maxMemoryMib,
    int defaultDiskGib,
    int maxDiskGib,
    boolean fullClone,
    int maxSnapshots) {

  /** The snapshots a template offers unless it says otherwise. */
  public static final int DEFAULT_SNAPSHOTS = 3;

  /**
   * The most snapshots a template may offer a guest: each one keeps what changed since, and a VM's
   * its memory too, so they cost the cluster's storage.
   */
  public static final int MOST_SNAPSHOTS = 20;

  public TemplateSpec {
    description = description == null ? "" : description.strip();
    Map<String, String> wrong = new LinkedHashMap<>();
    if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
      wrong.put(
          "name",
          "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    if (kind == null) {
      wrong.put("kind", "must be vm or container");
    }
    // What the reference must look like depends on the hypervisor; Templates asks it on saving.
    if (hypervisorRef == null
        || hypervisorRef.isBlank()
        || hypervisorRef.length() > 255
        || !hypervisorRef.matches("[\\x21-\\x7e]+")) {
      wrong.put(
          "hypervisorRef", "must be given: at most 255 characters, printable and without spaces");
    }
    if (osUser == null || !osUser.matches("[a-z_][a-z0-9_-]{0,31}")) {
      wrong.put("osUser", "must be a Unix user name such as debian or root");
    }
    if (description.length() > 500) {
      wrong.put("description", "must be at most 500 characters");
    }
    limits(wrong, "Cores", defaultCores, maxCores, 1, 512);
    limits(wrong, "MemoryMiB", defaultMemoryMib, maxMemoryMib, 16, 4_194_304);
    limits(wrong, "DiskGiB", defaultDiskGib, maxDiskGib, 1, 65_536);
    if (maxSnapshots < 0 || maxSnapshots > MOST_SNAPSHOTS) {
      wrong.put("maxSnapshots", "must be between 0 and " + MOST_SNAPSHOTS);
    }
    if (!wrong.isEmpty()) {
      throw new InvalidInput(wrong);
    }
  }

  private static void limits(
      Map<String, String> wrong, String what, int byDefault, int max, int least, int most) {
    if (max < least || max > most) {
      wrong.put("max" + what, "must be between " + least + " and " + most);
    } else if (byDefault < least || byDefault > max) {
      wrong.put("default" + what, "must be between " + least + " and the maximum, " + max);
    }
  }
}
