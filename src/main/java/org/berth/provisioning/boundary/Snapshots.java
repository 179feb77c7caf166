package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.regex.Pattern;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.Snapshot;
import org.berth.identity.Account;
import org.berth.provisioning.control.SnapshotRefused;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;

/**
 * The snapshots of a request's guest, for its owner and admins: the list as the hypervisor has it,
 * and taking, rolling back and deleting one. An action is checked here, where the person asks, by
 * the guest's state, the snapshot's name and the template's limit; a job then carries it out and
 * the provisioning log shows its outcome. Each asking is in the request's audit trail.
 *
 * <p>One snapshot action of a guest at a time: a second waits until the first has run, so that a
 * rollback never races the snapshot it rolls back to.
 */
@ApplicationScoped
public class Snapshots {

  /** Proxmox's rule for snapshot names, kept lower-case so every hypervisor takes them alike. */
  static final Pattern NAME = Snapshot.NAME;

  /** Names Proxmox VE keeps for itself: the present state, backups, pending changes. */
  static final java.util.Set<String> RESERVED = java.util.Set.of("current", "vzdump", "pending");

  @Inject Requests requests;
  @Inject Hypervisor hypervisor;
  @Inject ProvisioningJobs jobs;
  @Inject ProvisioningStore store;

  /** This bean through its proxy, so that {@link #schedule} runs in a transaction of its own. */
  @Inject Snapshots self;

  /**
   * A guest's snapshots.
   *
   * @param limit how many it may keep, by its template
   * @param pending whether an action asked for has not run yet
   * @param shutOffFirst whether the guest must be shut off to take or roll back a snapshot, as a
   *     container on libvirt must
   */
  public record Listing(
      List<Snapshot> snapshots, int limit, boolean pending, boolean shutOffFirst) {

    public boolean full() {
      return snapshots.size() >= limit;
    }
  }

  /**
   * @throws org.berth.requests.control.UnknownRequest unless the caller may see the request
   */
  public void requireVisible(long id, Account caller) {
    requests.find(id, caller);
  }

  /** The snapshots of the guest of request {@code id}; none while it has no guest. */
  public Listing list(long id, Account caller) {
    RequestView r = requests.find(id, caller);
    int limit = store.snapshotLimit(id);
    GuestRef ref = ref(r);
    if (ref == null) {
      return new Listing(List.of(), limit, false, false);
    }
    try {
      return new Listing(
          hypervisor.snapshots(ref),
          limit,
          jobs.snapshotPending(id),
          !hypervisor.snapshotsWhileRunning(ref.type()));
    } catch (HypervisorFailure e) {
      throw SnapshotRefused.unavailable(e.getMessage());
    }
  }

  /**
   * Asks for a snapshot action; it runs as a job right after this returns. Taking one needs a READY
   * guest, a free name and room under the template's limit; rolling back a snapshot that exists;
   * deleting is allowed on an EXPIRED guest too.
   */
  public RequestView ask(long id, SnapshotAction action, String name, Account caller) {
    // Someone else's request is not found before anything else is said of it.
    RequestView r = requests.find(id, caller);
    if (name == null || !NAME.matcher(name).matches() || RESERVED.contains(name)) {
      if (action == SnapshotAction.TAKE) {
        throw SnapshotRefused.badName();
      }
      throw SnapshotRefused.unknown(id, String.valueOf(name));
    }
    boolean allowed = action.allowedIn().contains(r.state());
    GuestRef ref = ref(r);
    if (!allowed || ref == null) {
      throw SnapshotRefused.conflict(
          "Request " + id + " is " + r.state().label() + ": snapshots need a ready guest");
    }
    // Checked first to spare the hypervisor, and again under the request's lock when scheduling.
    if (jobs.snapshotPending(id)) {
      throw pending();
    }
    // The hypervisor is asked outside any transaction; the job checks again when it runs.
    List<Snapshot> present;
    try {
      present = hypervisor.snapshots(ref);
    } catch (HypervisorFailure e) {
      throw SnapshotRefused.unavailable(e.getMessage());
    }
    boolean exists = present.stream().anyMatch(s -> s.name().equals(name));
    if (action != SnapshotAction.DELETE && !hypervisor.snapshotsWhileRunning(ref.type())) {
      boolean running;
      try {
        running =
            hypervisor
                .status(ref)
                .map(g -> g.power() != org.berth.hypervisor.PowerState.STOPPED)
                .orElse(false);
      } catch (HypervisorFailure e) {
        throw SnapshotRefused.unavailable(e.getMessage());
      }
      if (running) {
        throw SnapshotRefused.conflict(
            "Shut "
                + r.name()
                + " down first: this hypervisor takes and rolls back snapshots of its containers"
                + " only while they are shut off");
      }
    }
    switch (action) {
      case TAKE -> {
        if (exists) {
          throw SnapshotRefused.conflict("The guest has a snapshot " + name + " already");
        }
        int limit = store.snapshotLimit(id);
        if (present.size() >= limit) {
          throw SnapshotRefused.conflict(
              limit == 0
                  ? "The template " + r.template() + " offers no snapshots"
                  : "The guest has "
                      + present.size()
                      + " snapshots, as many as its template allows: delete one first");
        }
      }
      case ROLLBACK, DELETE -> {
        if (!exists) {
          throw SnapshotRefused.unknown(id, name);
        }
      }
    }
    return self.schedule(id, action, name, caller);
  }

  /** Schedules the job and notes the asking, in one transaction; {@link #ask} checks first. */
  @Transactional
  public RequestView schedule(long id, SnapshotAction action, String name, Account caller) {
    store.lockRequest(id);
    if (jobs.snapshotPending(id)) {
      throw pending();
    }
    RequestView r = requests.find(id, caller);
    jobs.scheduleSnapshot(id, action, name);
    requests.note(id, caller.username(), action.asked(name));
    return r;
  }

  private static SnapshotRefused pending() {
    return SnapshotRefused.conflict(
        "Another snapshot action of this guest has not run yet; try again when it has");
  }

  private static GuestRef ref(RequestView r) {
    return r.guest() == null || r.state().terminal()
        ? null
        : GuestRef.at(ProvisioningStore.typeOf(r.kind()), r.guest());
  }
}
