package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestType;
import org.berth.platform.database.SqlValues;
import org.berth.platform.value.GuestPlace;
import org.berth.provisioning.control.Placement;
import org.berth.provisioning.entity.Provisioning;
import org.berth.provisioning.entity.Provisioning.Times;
import org.berth.provisioning.entity.Step;
import org.berth.requests.boundary.GuestLog;
import org.berth.requests.boundary.GuestLog.Outcome;
import org.berth.requests.boundary.RequestStore;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.RequestState;

/**
 * The database half of provisioning: where each request's provisioning stands (its step, failed
 * attempts and times), and placement, which takes a node slot ({@link NodeSlots}) and a VMID
 * ({@link VmidAllocations}) under one lock across instances. One short transaction per recorded
 * step; the hypervisor is never called from here.
 */
@ApplicationScoped
@Transactional
public class ProvisioningStore {

  /** The advisory lock that serialises placement across Berth instances. */
  private static final long PLACEMENT_LOCK = 0x42455254_504c4143L;

  @PersistenceContext EntityManager em;
  @Inject RequestStore requests;
  @Inject ProvisioningSettings settings;
  @Inject GuestLog guestLog;
  @Inject VmidAllocations vmids;
  @Inject NodeSlots slots;

  Clock clock = Clock.systemUTC();

  /** A request being provisioned, with the step it is at. */
  public record Work(GuestRequest request, Step step, int attempts) {

    /** Where the guest is (being) created, once placement has recorded it on the request. */
    public Optional<GuestRef> ref() {
      return Optional.ofNullable(refOf(request));
    }
  }

  static GuestType typeOf(GuestRequest r) {
    return typeOf(r.kind());
  }

  static GuestType typeOf(GuestKind kind) {
    return kind == GuestKind.VM ? GuestType.VM : GuestType.CONTAINER;
  }

  /**
   * Moves an approved request to PROVISIONING and returns where its provisioning stands; empty once
   * the request has left that path (deleted, expired, ready or failed).
   */
  public Optional<Work> begin(long id) {
    Optional<GuestRequest> found = requests.provisioning(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    GuestRequest r = found.get();
    Instant now = clock.instant();
    em.createNativeQuery(
            "INSERT INTO provisioning (request_id, step, started, updated)"
                + " VALUES (?1, 'PLACE', ?2, ?2) ON CONFLICT (request_id) DO NOTHING")
        .setParameter(1, id)
        .setParameter(2, SqlValues.utc(now))
        .executeUpdate();
    return Optional.of(work(r));
  }

  private Work work(GuestRequest r) {
    Provisioning p = progress(r.id());
    return new Work(r, p.step(), p.attempts());
  }

  /** Request {@code id}'s provisioning, locked for this transaction. */
  private Provisioning progress(long id) {
    return em.find(Provisioning.class, id, LockModeType.PESSIMISTIC_WRITE);
  }

  /** The outcome of placement. */
  public record Placed(GuestRef ref, boolean waitForSlot, String noRoom) {}

  /**
   * Chooses the node and VMID and takes a slot on the node, all recorded before anything is
   * created. A request that has a node and VMID already (a retry) keeps them and only takes a slot.
   */
  public Placed place(long id, Cluster cluster) {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
        .setParameter(1, PLACEMENT_LOCK)
        .getSingleResult();
    Work w = work(requests.find(id));
    if (w.request().state() != RequestState.PROVISIONING) {
      return new Placed(null, false, "the request is no longer being provisioned");
    }
    Map<String, Long> reserved = new HashMap<>();
    Map<String, Integer> busy = new HashMap<>();
    slots
        .creating(id)
        .forEach(
            (n, load) -> {
              reserved.put(n, load.reservedMib());
              busy.put(n, load.creating());
            });
    int perNode = settings.nodeConcurrency();
    GuestRef placed = w.ref().orElse(null);
    String node = placed == null ? null : placed.node();
    if (node == null) {
      Placement.Decision d =
          Placement.choose(
              cluster.nodes(),
              reserved,
              busy,
              typeOf(w.request()),
              w.request().memoryMib(),
              perNode);
      if (d.chosen().isEmpty()) {
        return new Placed(null, d.waitForSlot(), d.noRoom());
      }
      node = d.node();
    } else if (busy.getOrDefault(node, 0) >= perNode) {
      return new Placed(null, true, null);
    }
    int vmid = placed != null ? placed.vmid() : vmids.allocate(id, cluster.vmids());
    progress(id).placed(clock.instant());
    requests.placed(id, new GuestPlace(node, vmid));
    guestLog.append(id, Step.PLACE.label(), Outcome.DONE, "placed on " + node + " as VMID " + vmid);
    return new Placed(new GuestRef(typeOf(w.request()), node, vmid), false, null);
  }

  /**
   * Gives the request another VMID: the one it had is taken on the cluster by a guest that is not
   * this request's.
   */
  public GuestRef newVmid(long id, Set<Integer> inUse) {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
        .setParameter(1, PLACEMENT_LOCK)
        .getSingleResult();
    vmids.free(id);
    GuestRef taken = refOf(requests.find(id));
    java.util.Set<Integer> avoid = new java.util.HashSet<>(inUse);
    avoid.add(taken.vmid());
    int vmid = vmids.allocate(id, avoid);
    requests.placed(id, new GuestPlace(taken.node(), vmid));
    return new GuestRef(taken.type(), taken.node(), vmid);
  }

  /**
   * Records that {@code done} is finished and {@code next} comes; false when the request has left
   * provisioning meanwhile (then the job stops).
   */
  public boolean advance(long id, Step done, Step next, String detail) {
    GuestRequest r = requests.find(id);
    if (r.state() != RequestState.PROVISIONING) {
      return false;
    }
    guestLog.append(id, done.label(), Outcome.DONE, detail);
    progress(id).advance(done, next, clock.instant());
    return true;
  }

  /** Counts a failed attempt at the current step and returns how many there have been in a row. */
  public int attemptFailed(long id) {
    return progress(id).attemptFailed(clock.instant());
  }

  /**
   * The guest runs: the request is READY, and its node slot is free again. Returns the time all
   * executions of the job took, with this one's.
   */
  public Optional<Times> ready(long id, GuestRef ref, Duration own, Duration hypervisor) {
    if (requests.find(id).state() != RequestState.PROVISIONING) {
      return Optional.empty();
    }
    Times total = progress(id).ready(own, hypervisor, clock.instant());
    requests.ready(id, ref.place());
    guestLog.append(
        id,
        Step.DONE.label(),
        Outcome.DONE,
        "ready; Berth's own work "
            + total.own().toMillis()
            + " ms, hypervisor calls "
            + total.hypervisor().toMillis()
            + " ms");
    return Optional.of(total);
  }

  /** Adds one job execution's times. */
  public void addTimes(long id, Duration own, Duration hypervisor) {
    Provisioning p = progress(id);
    if (p != null) {
      p.add(own, hypervisor);
    }
  }

  /** Provisioning gave up: the request is FAILED with the reason, and the slot is free again. */
  public void failed(long id, String reason) {
    slots.release(id);
    requests.failed(id, reason);
  }

  /** A failed request is tried again: placement comes first (keeping its node and VMID). */
  public void restart(long id) {
    Provisioning p = progress(id);
    if (p != null) {
      p.restart(clock.instant());
    }
  }

  /** A request in one of {@code states}, with where its guest is (if it has one). */
  public Optional<GuestRequestRef> inState(long id, Set<RequestState> states) {
    GuestRequest r = em.find(GuestRequest.class, id);
    if (r == null || !states.contains(r.state())) {
      return Optional.empty();
    }
    return Optional.of(new GuestRequestRef(r.id(), r.owner(), r.state(), refOf(r)));
  }

  /**
   * Holds the request's row until the caller's transaction ends, so that askings of one request
   * (power actions, snapshot actions) are checked and scheduled one at a time: the second waits
   * here, then sees the first one's job. A request that does not exist holds nothing.
   */
  public void lockRequest(long id) {
    em.createNativeQuery("SELECT 1 FROM guest_request WHERE id = ?1 FOR UPDATE")
        .setParameter(1, id)
        .getResultList();
  }

  /** How many snapshots the request's guest may keep: its template's limit. */
  public int snapshotLimit(long id) {
    GuestRequest r = em.find(GuestRequest.class, id);
    return r == null ? 0 : r.template().spec().maxSnapshots();
  }

  /** A request's id, owner, state and guest. */
  public record GuestRequestRef(long id, String owner, RequestState state, GuestRef guest) {}

  static GuestRef refOf(GuestRequest r) {
    if (r.guestPlace() == null) {
      return null;
    }
    return GuestRef.at(typeOf(r), r.guestPlace());
  }

  /** The guest is gone: the request is DELETED, its VMID free, its entry released. */
  public void deleted(long id) {
    Provisioning p = progress(id);
    if (p != null) {
      em.remove(p);
    }
    vmids.free(id);
    requests.guestDeleted(id);
  }

  /** Records the guest on another node (it was migrated). */
  public void moved(long id, String node) {
    requests.find(id).moveGuest(node, clock.instant());
  }
}
