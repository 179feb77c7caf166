package org.berth.hypervisor;

import java.time.Instant;

/**
 * A snapshot of a guest, as the hypervisor keeps it.
 *
 * @param name its name, unique on the guest: a letter, then letters, digits, '-' and '_'
 * @param taken when it was taken, or null when the hypervisor does not say
 * @param running whether it holds the guest's running state (its memory), so that rolling back
 *     resumes the guest where it was rather than with its disks only
 */
public record Snapshot(String name, String description, Instant taken, boolean running) {

  /**
   * The names Berth gives snapshots, and the only ones it passes to a hypervisor: a lower-case
   * letter, then 1 to 39 lower-case letters, digits, '-' and '_' (within Proxmox VE's rule).
   */
  public static final String NAME_RULE = "[a-z][a-z0-9_-]{1,39}";

  /** {@link #NAME_RULE}, compiled. */
  public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile(NAME_RULE);

  /** Oldest first; one without a time comes first. */
  public static final java.util.Comparator<Snapshot> OLDEST_FIRST =
      java.util.Comparator.comparing(
          Snapshot::taken, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
}
