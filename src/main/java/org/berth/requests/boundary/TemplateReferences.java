package org.berth.requests.boundary;

import java.util.Optional;
import org.berth.requests.entity.GuestKind;

/**
 * What saving a template needs from the hypervisor: whether a reference is of the kind it takes (a
 * VMID or an {@code ostemplate} volume on Proxmox VE, a volume name on libvirt). The hypervisor
 * setup implements it.
 */
public interface TemplateReferences {

  /** What is wrong with {@code ref} for guests of {@code kind}, or empty. */
  Optional<String> problem(GuestKind kind, String ref);
}
