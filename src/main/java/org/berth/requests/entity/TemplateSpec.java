package org.berth.requests.entity;

import java.util.LinkedHashMap;
import java.util.Map;
import org.berth.platform.refusal.InvalidInput;

/**
 * A template's settings, checked as a whole: every broken rule is reported with its field.
 *
 * @param hypervisorRef a Proxmox template VMID for VMs, an {@code ostemplate} volume such as {@code
 *     local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst} for containers
 * @param fullClone VMs only: a full copy of the template VM rather than a linked clone
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
    boolean fullClone) {

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
    if (hypervisorRef == null || hypervisorRef.isBlank() || hypervisorRef.length() > 255) {
      wrong.put("hypervisorRef", "must be given (at most 255 characters)");
    } else if (kind == GuestKind.VM && !hypervisorRef.matches("[1-9][0-9]{2,8}")) {
      wrong.put("hypervisorRef", "must be the template's VMID, a number from 100 to 999999999");
    } else if (kind == GuestKind.CONTAINER
        && !hypervisorRef.matches("[A-Za-z0-9._-]+:vztmpl/[A-Za-z0-9._+-]+")) {
      wrong.put(
          "hypervisorRef",
          "must be an ostemplate volume such as local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
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
