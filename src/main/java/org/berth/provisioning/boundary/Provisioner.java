package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.PowerState;
import org.berth.hypervisor.VmidTaken;
import org.berth.provisioning.boundary.ProvisioningStore.GuestRequestRef;
import org.berth.provisioning.boundary.ProvisioningStore.Work;
import org.berth.provisioning.control.GuestSpecs;
import org.berth.provisioning.entity.Provisioning;
import org.berth.provisioning.entity.Step;
import org.berth.requests.boundary.GuestLog;
import org.berth.requests.boundary.GuestLog.Outcome;
import org.berth.requests.entity.RequestState;

/**
 * Runs the steps of provisioning, deprovisioning and power actions for one request at a time, on
 * job threads. Each step reads its state from the database, acts on the hypervisor outside any
 * transaction, and records its outcome; each method returns when the job should run again, or empty
 * when it is finished.
 */
@ApplicationScoped
public class Provisioner {

  private static final Logger LOG = Logger.getLogger(Provisioner.class.getName());
  private static final Duration WAIT = Duration.ofSeconds(2);

  /** How often a job looks again at a guest locked for over a minute. */
  private static final Duration LONG_WAIT = Duration.ofSeconds(15);

  /**
   * How long a power or snapshot job waits for another task's lock on the guest (a backup, a
   * migration) before it gives up, saying so in the guest's log.
   */
  static final Duration LOCK_PATIENCE = Duration.ofMinutes(60);

  /** When a power or snapshot job runs again, and where it stands then. */
  public record Later(Instant at, Tries tries) {}

  private static final int VMID_TRIES = 5;

  @Inject ProvisioningStore store;
  @Inject NodeSlots slots;
  @Inject GuestLog guestLog;
  @Inject ProvisioningSettings settings;
  @Inject Hypervisor hypervisor;
  @Inject GuestPowers powers;

  /** Takes an approved request through placement, creation, configuration and start. */
  public Optional<Instant> provision(long id) {
    Optional<Work> begun = store.begin(id);
    if (begun.isEmpty()) {
      return Optional.empty();
    }
    Work w = begun.get();
    Step step = w.step();
    TimedHypervisor hv = new TimedHypervisor(hypervisor);
    boolean timesRecorded = false;
    try {
      GuestRef ref = w.ref().orElse(null);
      if (step == Step.PLACE) {
        Cluster cluster = hv.cluster();
        ProvisioningStore.Placed placed = store.place(id, cluster);
        if (placed.noRoom() != null) {
          guestLog.log(id, step.label(), Outcome.FAILED, placed.noRoom());
          store.failed(id, placed.noRoom());
          return Optional.empty();
        }
        if (placed.waitForSlot()) {
          return Optional.of(Instant.now().plus(WAIT));
        }
        ref = placed.ref();
        step = Step.CREATE;
      }
      if (step == Step.CREATE) {
        Optional<GuestRef> created = create(hv, w, ref);
        if (created.isEmpty()) {
          return Optional.of(Instant.now().plus(WAIT));
        }
        ref = created.get();
        Step next = ref.type() == GuestType.VM ? Step.CONFIGURE : Step.START;
        if (!store.advance(id, Step.CREATE, next, "guest " + ref + " is in place")) {
          return stopped(id);
        }
        step = next;
      }
      GuestSpec spec = spec(w, ref);
      if (step == Step.CONFIGURE) {
        guestLog.log(
            id,
            step.label(),
            Outcome.STARTED,
            "setting size, network " + spec.mac() + ", user and keys");
        hv.configure(spec);
        if (!store.advance(id, Step.CONFIGURE, Step.START, "configured")) {
          return stopped(id);
        }
        step = Step.START;
      }
      if (step == Step.START) {
        Optional<GuestStatus> now = hv.status(ref);
        if (now.isEmpty() || !now.get().carries(id)) {
          throw new HypervisorFailure(ref + " is gone before it could be started", false);
        }
        if (now.get().power() == PowerState.RUNNING) {
          guestLog.log(id, step.label(), Outcome.NOTE, "already running");
        } else {
          guestLog.log(id, step.label(), Outcome.STARTED, "starting " + ref);
          hv.start(ref);
        }
        Optional<Provisioning.Times> total = store.ready(id, ref, hv.own(), hv.hypervisor());
        timesRecorded = true;
        if (total.isEmpty()) {
          return stopped(id);
        }
      }
      return Optional.empty();
    } catch (HypervisorFailure e) {
      return failedAttempt(id, step.label(), e, true);
    } finally {
      if (!timesRecorded) {
        store.addTimes(id, hv.own(), hv.hypervisor());
      }
    }
  }

  /**
   * Creates the guest unless the VMID already holds this request's guest (an interrupted earlier
   * attempt), which is adopted. A VMID taken by anything else is given up for a new one. Empty
   * means: an earlier attempt's creation is still running; look again shortly.
   */
  private Optional<GuestRef> create(TimedHypervisor hv, Work w, GuestRef ref) {
    long id = w.request().id();
    for (int i = 0; i < VMID_TRIES; i++) {
      Optional<GuestStatus> existing = hv.status(ref);
      if (existing.isPresent() && existing.get().carries(id)) {
        if (existing.get().lockHeld().isPresent()) {
          return Optional.empty();
        }
        guestLog.log(
            id,
            Step.CREATE.label(),
            Outcome.NOTE,
            "found " + ref + ", created by an interrupted attempt; adopted it");
        return Optional.of(ref);
      }
      if (existing.isPresent()) {
        ref = anotherVmid(hv, id, ref, "holds a guest that is not Berth's");
        continue;
      }
      GuestSpec spec = spec(w, ref);
      guestLog.log(
          id,
          Step.CREATE.label(),
          Outcome.STARTED,
          (ref.type() == GuestType.VM
                  ? "cloning template "
                      + spec.template()
                      + (spec.fullClone() ? " (full)" : " (linked)")
                  : "creating from " + spec.template())
              + " as "
              + ref);
      try {
        hv.create(spec);
      } catch (VmidTaken e) {
        ref = anotherVmid(hv, id, ref, "was taken meanwhile");
        continue;
      }
      return Optional.of(ref);
    }
    throw new HypervisorFailure(
        VMID_TRIES + " VMIDs in a row were taken on the cluster; check berth.proxmox.vmid-min/max",
        false);
  }

  /** Leaves a VMID that is not this request's to its owner and records another one. */
  private GuestRef anotherVmid(Hypervisor hv, long id, GuestRef taken, String why) {
    GuestRef next = store.newVmid(id, hv.cluster().vmids());
    guestLog.log(
        id,
        Step.CREATE.label(),
        Outcome.NOTE,
        "VMID " + taken.vmid() + " " + why + "; using " + next.vmid());
    return next;
  }

  private GuestSpec spec(Work w, GuestRef ref) {
    return GuestSpecs.of(w.request(), ref, settings.ledger(), settings.nat());
  }

  private Optional<Instant> stopped(long id) {
    slots.release(id);
    guestLog.log(
        id, "Provisioning", Outcome.NOTE, "stopped: the request was deleted or expired meanwhile");
    return Optional.empty();
  }

  /**
   * A failed step: a transient failure is tried again after a growing pause; the request fails when
   * the failure is permanent or the attempts are used up (when {@code canFail}).
   */
  private Optional<Instant> failedAttempt(
      long id, String step, HypervisorFailure e, boolean canFail) {
    if (e.transientFailure()) {
      int attempt = store.attemptFailed(id);
      if (!canFail || attempt < settings.attempts()) {
        Duration pause = settings.backoff().after(attempt);
        guestLog.log(
            id,
            step,
            Outcome.RETRY,
            e.getMessage()
                + "; trying again in "
                + pause.toSeconds()
                + " s (attempt "
                + attempt
                + (canFail ? " of " + settings.attempts() : "")
                + ")");
        return Optional.of(Instant.now().plus(pause));
      }
      String reason = e.getMessage() + " (gave up after " + attempt + " attempts)";
      guestLog.log(id, step, Outcome.FAILED, reason);
      store.failed(id, reason);
      return Optional.empty();
    }
    guestLog.log(id, step, Outcome.FAILED, e.getMessage());
    if (canFail) {
      store.failed(id, e.getMessage());
      return Optional.empty();
    }
    int attempt = store.attemptFailed(id);
    return Optional.of(Instant.now().plus(settings.backoff().after(attempt)));
  }

  /**
   * Removes a deleted request's guest: stops it, deletes it with its disks, then records the
   * request as DELETED (which releases its ledger entry). A guest under the recorded VMID that does
   * not carry the request's mark is left alone. Failures are retried until the hypervisor lets the
   * guest go; an admin sees them in the log.
   */
  public Optional<Instant> deprovision(long id) {
    Optional<GuestRequestRef> found = store.inState(id, Set.of(RequestState.DELETING));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    GuestRef ref = found.get().guest();
    try {
      if (ref != null) {
        Optional<GuestStatus> existing = hypervisor.status(ref);
        if (existing.isPresent() && existing.get().carries(id)) {
          if (existing.get().lockHeld().isPresent()) {
            return Optional.of(Instant.now().plus(WAIT));
          }
          if (existing.get().power() != PowerState.STOPPED) {
            guestLog.log(id, "Delete", Outcome.STARTED, "stopping " + ref);
            hypervisor.stop(ref);
          }
          guestLog.log(id, "Delete", Outcome.STARTED, "deleting " + ref + " with its disks");
          hypervisor.delete(ref);
        } else if (existing.isPresent()) {
          guestLog.log(
              id,
              "Delete",
              Outcome.NOTE,
              ref + " holds a guest that is not this request's; it is left alone");
        } else {
          guestLog.log(id, "Delete", Outcome.NOTE, "there is no " + ref + "; nothing to delete");
        }
      }
      store.deleted(id);
      guestLog.log(id, "Delete", Outcome.DONE, "deleted");
      return Optional.empty();
    } catch (HypervisorFailure e) {
      return failedAttempt(id, "Delete", e, false);
    }
  }

  /** What an owner (or the lease) asks of a running guest. */
  public enum PowerAction {
    START,
    /** Asks the guest's OS to shut down; stops it if it has not after the shutdown timeout. */
    SHUTDOWN,
    /** Switches the guest off at once, like pulling the plug. */
    STOP,
    REBOOT;

    public String verb() {
      return switch (this) {
        case START -> "started";
        case SHUTDOWN -> "shut down";
        case STOP -> "stopped";
        case REBOOT -> "rebooted";
      };
    }

    /** Its name in the provisioning log. */
    public String step() {
      return this == STOP ? "Force stop" : name().charAt(0) + name().substring(1).toLowerCase();
    }

    /** Whether it only ever takes a guest down, which an expired lease still allows. */
    public boolean takesDown() {
      return this == SHUTDOWN || this == STOP;
    }

    Set<RequestState> allowedIn() {
      return takesDown()
          ? Set.of(RequestState.READY, RequestState.EXPIRED)
          : Set.of(RequestState.READY);
    }
  }

  /**
   * Takes, rolls back to or deletes a snapshot of the request's guest, on a READY guest (deleting
   * also on an EXPIRED one). Taking one checks the template's limit again, since two askings may
   * have raced. A failed rollback is not tried again: a second one would lose what the guest did
   * after the first.
   */
  public Optional<Later> snapshot(long id, SnapshotAction action, String name, Tries tries) {
    String step = action.step();
    return onGuest(
        id,
        step,
        action.allowedIn(),
        "the guest is no longer ready; nothing done",
        action != SnapshotAction.ROLLBACK,
        tries,
        (ref, guest) -> {
          java.util.List<org.berth.hypervisor.Snapshot> present = hypervisor.snapshots(ref);
          boolean exists = present.stream().anyMatch(s -> s.name().equals(name));
          switch (action) {
            case TAKE -> {
              if (exists) {
                guestLog.log(id, step, Outcome.NOTE, "snapshot " + name + " exists already");
                return false;
              }
              if (present.size() >= store.snapshotLimit(id)) {
                guestLog.log(
                    id,
                    step,
                    Outcome.FAILED,
                    "the guest has "
                        + present.size()
                        + " snapshots, as many as its template allows");
                return false;
              }
              guestLog.log(id, step, Outcome.STARTED, "taking snapshot " + name + " of " + ref);
              hypervisor.snapshot(ref, name, "Taken through Berth for request " + id);
            }
            case ROLLBACK -> {
              if (!exists) {
                guestLog.log(id, step, Outcome.FAILED, "the guest has no snapshot " + name);
                return false;
              }
              guestLog.log(id, step, Outcome.STARTED, "rolling " + ref + " back to " + name);
              hypervisor.rollback(ref, name);
            }
            case DELETE -> {
              if (!exists) {
                guestLog.log(id, step, Outcome.NOTE, "snapshot " + name + " is gone already");
                return false;
              }
              guestLog.log(id, step, Outcome.STARTED, "deleting snapshot " + name + " of " + ref);
              hypervisor.deleteSnapshot(ref, name);
            }
          }
          return true;
        });
  }

  /** Starts, shuts down (then stops), stops at once or reboots the request's guest. */
  public Optional<Later> power(long id, PowerAction action, Tries tries) {
    String step = action.step();
    return onGuest(
        id,
        step,
        action.allowedIn(),
        null,
        true,
        tries,
        (ref, guest) -> {
          PowerState power = guest.power();
          switch (action) {
            case START -> {
              if (power == PowerState.RUNNING) {
                guestLog.log(id, step, Outcome.NOTE, "already running");
                return false;
              }
              guestLog.log(id, step, Outcome.STARTED, "starting " + ref);
              hypervisor.start(ref);
            }
            case SHUTDOWN -> {
              if (power == PowerState.STOPPED) {
                guestLog.log(id, step, Outcome.NOTE, "already stopped");
                return false;
              }
              guestLog.log(id, step, Outcome.STARTED, "shutting down " + ref);
              hypervisor.shutdown(ref, settings.shutdownTimeout());
            }
            case STOP -> {
              if (power == PowerState.STOPPED) {
                guestLog.log(id, step, Outcome.NOTE, "already stopped");
                return false;
              }
              guestLog.log(id, step, Outcome.STARTED, "stopping " + ref + " at once");
              hypervisor.stop(ref);
            }
            case REBOOT -> {
              guestLog.log(
                  id,
                  step,
                  Outcome.STARTED,
                  (power == PowerState.RUNNING ? "rebooting " : "starting ") + ref);
              if (power == PowerState.RUNNING) {
                hypervisor.reboot(ref);
              } else {
                hypervisor.start(ref);
              }
            }
          }
          return true;
        });
  }

  /** An owner's action on a guest that is there, carries its request and is not locked. */
  @FunctionalInterface
  private interface GuestAction {
    /** Does it; false when there was nothing to do, which it has logged. */
    boolean run(GuestRef ref, GuestStatus guest);
  }

  /**
   * Runs an owner's action on the request's guest, the way power and snapshot jobs share: nothing
   * when the request is no longer in one of {@code states} (logged as {@code gone} when given); a
   * failure when the hypervisor has no guest carrying the request; a wait while another task holds
   * the guest's lock, noted once and for at most {@link #LOCK_PATIENCE}; otherwise the action,
   * logged as done. A transient failure is tried again with backoff when {@code retry}.
   */
  private Optional<Later> onGuest(
      long id,
      String step,
      Set<RequestState> states,
      String gone,
      boolean retry,
      Tries tries,
      GuestAction action) {
    Optional<GuestRequestRef> found = store.inState(id, states);
    if (found.isEmpty() || found.get().guest() == null) {
      if (gone != null) {
        guestLog.log(id, step, Outcome.NOTE, gone);
      }
      return Optional.empty();
    }
    GuestRef ref = found.get().guest();
    try {
      Optional<GuestStatus> existing = hypervisor.status(ref);
      if (existing.isEmpty() || !existing.get().carries(id)) {
        guestLog.log(id, step, Outcome.FAILED, "there is no " + ref + " carrying this request");
        return Optional.empty();
      }
      Optional<String> lock = existing.get().lockHeld();
      if (lock.isPresent()) {
        return waitForLock(id, step, lock.get(), tries);
      }
      if (action.run(ref, existing.get())) {
        guestLog.log(id, step, Outcome.DONE, "done");
        powers.forget();
      }
      return Optional.empty();
    } catch (HypervisorFailure e) {
      if (!retry) {
        guestLog.log(
            id,
            step,
            Outcome.FAILED,
            e.getMessage() + "; not tried again: look at the guest, and try again if needed");
        return Optional.empty();
      }
      Tries failed = tries.failed();
      if (e.transientFailure() && failed.failures() < settings.attempts()) {
        Duration pause = settings.backoff().after(failed.failures());
        guestLog.log(
            id,
            step,
            Outcome.RETRY,
            e.getMessage() + "; trying again in " + pause.toSeconds() + " s");
        return Optional.of(new Later(Instant.now().plus(pause), failed));
      }
      guestLog.log(id, step, Outcome.FAILED, e.getMessage());
      LOG.log(Level.INFO, "Request {0}: {1} failed: {2}", new Object[] {id, step, e.getMessage()});
      return Optional.empty();
    }
  }

  /**
   * Another task holds the guest's lock: look again soon, note the wait once, and give up after
   * {@link #LOCK_PATIENCE}.
   */
  private Optional<Later> waitForLock(long id, String step, String lock, Tries tries) {
    Instant now = Instant.now();
    Tries waiting = tries.locked(now);
    Duration waited = Duration.between(waiting.lockedSince(), now);
    if (tries.lockedSince() == null) {
      // A retry, not a note: the action has no outcome yet, so its page keeps looking.
      guestLog.log(
          id, step, Outcome.RETRY, "waiting: the guest is locked by another task (" + lock + ")");
    }
    if (waited.compareTo(LOCK_PATIENCE) > 0) {
      guestLog.log(
          id,
          step,
          Outcome.FAILED,
          "the guest has been locked ("
              + lock
              + ") for over "
              + LOCK_PATIENCE.toMinutes()
              + " minutes; nothing done: ask again once its lock is gone");
      return Optional.empty();
    }
    Duration pause = waited.compareTo(Duration.ofMinutes(1)) < 0 ? WAIT : LONG_WAIT;
    return Optional.of(new Later(now.plus(pause), waiting));
  }
}
