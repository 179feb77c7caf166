package org.berth.hypervisor;

import java.time.Duration;
import java.util.Optional;

/**
 * A cluster Berth creates guests on. Each call returns when the hypervisor has finished (its task
 * has ended) and throws {@link HypervisorFailure} otherwise. Calls are safe to repeat after a
 * crash: callers check {@link #status} first, and the creating calls mark the guest with its
 * request (a tag and a line in the description) so that a half-created guest is recognised.
 */
public interface Hypervisor {

  /** What it is, for people: kind, version and where ("Simulated Proxmox VE cluster at ..."). */
  String description();

  /** Whether it is a simulation rather than a real hypervisor; pages say so. */
  boolean simulated();

  /**
   * What is wrong with {@code ref} as a template of this hypervisor for guests of {@code type}, or
   * empty when it is the kind of reference this hypervisor takes (whether the template exists is
   * found out when a guest is created from it).
   */
  Optional<String> templateProblem(GuestType type, String ref);

  /** The nodes and all guests, in one call. */
  Cluster cluster();

  /** One guest, or empty if there is none with that id on that node. */
  Optional<GuestStatus> status(GuestRef ref);

  /**
   * Creates the guest, stopped: a VM is cloned from its template (configured by {@link
   * #configure}); a container is created with its whole configuration.
   *
   * @throws VmidTaken if the id is in use on the cluster
   */
  void create(GuestSpec spec);

  /** Applies the spec's size, network (MAC always explicit), user, keys, name and marks. */
  void configure(GuestSpec spec);

  void start(GuestRef ref);

  /** Asks the guest's OS to shut down, and stops it if it has not after {@code timeout}. */
  void shutdown(GuestRef ref, Duration timeout);

  void stop(GuestRef ref);

  void reboot(GuestRef ref);

  /** Deletes a stopped guest with its disks. */
  void delete(GuestRef ref);

  /**
   * Whether guests of {@code type} can have snapshots taken and rolled back while they run; when
   * not, {@link #snapshot} and {@link #rollback} need the guest shut off.
   */
  default boolean snapshotsWhileRunning(GuestType type) {
    return true;
  }

  /** The guest's snapshots, oldest first. */
  java.util.List<Snapshot> snapshots(GuestRef ref);

  /**
   * Takes a snapshot of the guest's disks, and of a running VM's memory too, so that rolling back
   * resumes it as it was.
   *
   * @throws HypervisorFailure when the guest cannot have one in its present state, with the reason
   */
  void snapshot(GuestRef ref, String name, String description);

  /** Returns the guest to the snapshot; what happened on it since is lost. */
  void rollback(GuestRef ref, String name);

  /** Deletes the snapshot; the guest stays as it is. */
  void deleteSnapshot(GuestRef ref, String name);

  /**
   * Whether {@link #console} can open terminals at all here, so that pages offer none where it
   * cannot (a Proxmox VE cluster without a console user).
   */
  default boolean offersConsoles() {
    return true;
  }

  /**
   * Opens a terminal on a running guest.
   *
   * @throws HypervisorFailure when the guest or this hypervisor offers none
   */
  GuestConsole console(GuestRef ref);
}
