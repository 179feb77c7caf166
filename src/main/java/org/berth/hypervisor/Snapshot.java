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

  /** Oldest first; one without a time comes first. */
  public static final java.util.Comparator<Snapshot> OLDEST_FIRST =
      java.util.Comparator.comparing(
          Snapshot::taken, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
}
