package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.identity.Account;
import org.berth.ledger.control.AddressTaken;
import org.berth.platform.database.Constraints;
import org.berth.platform.jobs.Jobs;
import org.berth.platform.value.GuestPlace;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;
import org.berth.requests.control.ConcurrentChange;
import org.berth.requests.control.LeasePlan;
import org.berth.requests.control.NameTaken;
import org.berth.requests.control.NatAddressFull;
import org.berth.requests.control.QuotaExceeded;
import org.berth.requests.control.QuotaLimits;
import org.berth.requests.control.RequestPolicy;
import org.berth.requests.control.UnknownRequest;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestForm;
import org.berth.requests.entity.RequestState;
import org.berth.requests.entity.Template;

/**
 * The database half of each request use case, one transaction each; {@link Requests} puts them
 * together with the ledger, which is never called from here.
 */
@ApplicationScoped
@Transactional
public class RequestStore {

  private static final Logger LOG = Logger.getLogger(RequestStore.class.getName());

  @PersistenceContext EntityManager em;
  @Inject Quotas quotas;
  @Inject RequestMail mail;
  @Inject RequestSettings settings;
  @Inject RequestJobs jobs;
  @Inject Jobs scheduler;
  @Inject Event<RequestChanged> changes;
  @Inject NatAddressing natAddresses;

  Clock clock = Clock.systemUTC();

  /**
   * The checks of {@link #submit} that need the database, without storing anything: the name is
   * free among live guests, the ledger entry is held by no other request, and the owner's quota has
   * room for the request.
   */
  public void checkRoom(RequestForm form, Account owner) {
    checkName(form.name());
    if (form.ledgerHost() != null) {
      checkHeld(form.ledgerHost());
    }
    checkQuota(owner.username(), form.cores(), form.memoryMib(), form.diskGib());
  }

  /** Refuses a name another live guest has. */
  public void checkName(String name) {
    if (liveNamed(name)) {
      throw new NameTaken(name);
    }
  }

  /** Refuses a ledger entry another request holds. */
  public void checkHeld(String host) {
    entryHeldByRequest(host)
        .ifPresent(
            id -> {
              throw new AddressTaken("network.host", host + " is held by another request");
            });
  }

  /** Refuses a guest of this size that the owner's quota has no room for. */
  public void checkQuota(String owner, int cores, int memoryMib, int diskGib) {
    String exceeded =
        quotas.limits(owner).exceededBy(quotas.used(owner), cores, memoryMib, diskGib);
    if (exceeded != null) {
      throw new QuotaExceeded(owner, exceeded);
    }
  }

  /**
   * Stores a submitted request after the checks that need the database: its name is free among live
   * guests, its ledger entry is in the ledger and held by no other request, and the owner's quota
   * has room. The quota check holds the owner's quota lock, so two submissions at the limit cannot
   * both pass. A ledger request waits for its claim ({@link #claimed}); a NAT request is complete
   * here.
   */
  public long submit(RequestForm form, Account owner) {
    quotas.lock(owner.username());
    Template template =
        em.createQuery("SELECT t FROM Template t WHERE t.name = :n AND t.active", Template.class)
            .setParameter("n", form.template())
            .getSingleResult();
    checkRoom(form, owner);
    GuestRequest request = new GuestRequest(form, template, owner.username(), clock.instant());
    try {
      // An identity key makes the insert happen here, at persist.
      em.persist(request);
      em.flush();
    } catch (PersistenceException e) {
      // The unique indexes caught a race the checks above could not see.
      if (Constraints.violated(e, "guest_request_live_name")) {
        throw new NameTaken(form.name());
      }
      if (Constraints.violated(e, "guest_request_held_entry")) {
        throw new AddressTaken("network.host", form.ledgerHost() + " is held by another request");
      }
      throw e;
    }
    if (form.networkMode() == NetworkMode.LEDGER) {
      jobs.checkClaimLater(request.id());
    } else {
      afterSubmission(request);
    }
    return request.id();
  }

  /** Records the claim commit of a ledger request; then it is complete. */
  public void claimed(long id, String commit, Ipv4Address ipv4, Ipv6Address ipv6, MacAddress mac) {
    GuestRequest r = em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (r == null || r.claimCommit() != null) {
      return;
    }
    r.recordClaim(commit, ipv4, ipv6, mac);
    jobs.claimSettled(id);
    if (r.state() == RequestState.SUBMITTED) {
      afterSubmission(r);
    }
  }

  /** Asks the claim-check job to settle a request soon: its claim's outcome is unknown. */
  public void checkClaimSoon(long id) {
    jobs.checkClaimAt(id, clock.instant().plusSeconds(30));
  }

  /** Removes a request whose claim failed: it leaves nothing behind. */
  public void discard(long id) {
    GuestRequest r = em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (r == null || r.claimCommit() != null || r.state() != RequestState.SUBMITTED) {
      return;
    }
    em.createNativeQuery("DELETE FROM request_event WHERE request_id = ?1")
        .setParameter(1, id)
        .executeUpdate();
    em.createNativeQuery("DELETE FROM mail_outbox WHERE request_id = ?1")
        .setParameter(1, id)
        .executeUpdate();
    em.remove(r);
    jobs.claimSettled(id);
  }

  private void afterSubmission(GuestRequest r) {
    RequestPolicy policy = settings.policy();
    if (policy.autoApprove().allows(r.cores(), r.memoryMib(), r.diskGib(), r.leaseDays())) {
      r.approve(GuestRequest.BERTH, "within the auto-approve limits", clock.instant());
      addressNat(r);
      em.flush();
      jobs.leaseChanged(r);
      mail.approved(r, true);
      changed(r, GuestRequest.BERTH);
    } else {
      em.flush();
      mail.waitingForApproval(r);
    }
  }

  /**
   * An approved NAT request gets its address and MAC here, in the approving transaction (a retried
   * one keeps its own); a network without a free address refuses the approval.
   */
  private void addressNat(GuestRequest r) {
    if (r.networkMode() != NetworkMode.NAT || r.ipv4() != null) {
      return;
    }
    NatAddressing.Lease lease =
        natAddresses.next().orElseThrow(() -> new NatAddressFull(natAddresses.network()));
    r.assignNatAddress(lease.ipv4(), lease.mac(), clock.instant());
    LOG.log(
        Level.INFO,
        "Request {0} has NAT address {1} ({2})",
        new Object[] {r.id(), lease.ipv4(), lease.mac()});
  }

  /** Approves a request, checking the quota again under the owner's lock. */
  public RequestView approve(long id, long version, Account admin) {
    return change(
        id,
        version,
        r -> {
          requireSettledClaim(r, "approved");
          quotas.lock(r.owner());
          QuotaLimits limits = quotas.limits(r.owner());
          if (r.state() == RequestState.SUBMITTED && !limits.covers(quotas.used(r.owner()))) {
            throw new QuotaExceeded(
                r.owner(), "it would use more than the quota allows; raise the quota first");
          }
          r.approve(admin.username(), null, clock.instant());
          addressNat(r);
          em.flush();
          jobs.leaseChanged(r);
          mail.approved(r, false);
          changed(r, admin.username());
        });
  }

  public RequestView reject(long id, long version, String reason, Account admin) {
    return change(
        id,
        version,
        r -> {
          requireSettledClaim(r, "rejected");
          r.reject(admin.username(), reason, clock.instant());
          jobs.releaseAddress(r, admin.username());
          mail.rejected(r, admin.username());
        });
  }

  /**
   * Withdraws a request: one without a guest is cancelled, one with a guest (or a failed one) goes
   * to deletion.
   */
  public RequestView withdraw(long id, long version, String reason, Account caller) {
    return change(
        id,
        version,
        r -> {
          requireSettledClaim(r, "withdrawn");
          Instant now = clock.instant();
          String why = reason == null || reason.isBlank() ? null : reason.strip();
          if (r.state() == RequestState.SUBMITTED || r.state() == RequestState.APPROVED) {
            r.cancel(caller.username(), why, now);
          } else {
            r.beginDeletion(caller.username(), why, now);
          }
          if (r.state().terminal()) {
            jobs.releaseAddress(r, caller.username());
            if (r.state() == RequestState.DELETED) {
              mail.deleted(r, caller.username());
            }
          }
          jobs.leaseChanged(r);
          changed(r, caller.username());
        });
  }

  /** Extends the lease by {@code days}; the new end may be at most the maximum lease from now. */
  public RequestView extend(long id, long version, int days, Account caller) {
    return change(
        id,
        version,
        r -> {
          Instant now = clock.instant();
          int max = settings.policy().leaseMaxDays();
          if (days < 1) {
            throw new org.berth.platform.refusal.InvalidInput("days", "must be at least 1");
          }
          Instant base = r.leaseEnds() == null || r.leaseEnds().isBefore(now) ? now : r.leaseEnds();
          Instant end = base.plus(Duration.ofDays(days));
          if (end.isAfter(now.plus(Duration.ofDays(max)))) {
            throw new org.berth.platform.refusal.InvalidInput(
                "days",
                "the lease may end at most "
                    + max
                    + " days from now; extend by at most "
                    + Math.max(0, Duration.between(base, now.plus(Duration.ofDays(max))).toDays())
                    + " days");
          }
          r.extendLease(caller.username(), end, now);
          em.flush();
          jobs.leaseChanged(r);
        });
  }

  /** Acts on a lease at its deadline; returns when to look again. */
  public Optional<Instant> leaseDue(long id) {
    GuestRequest r = em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (r == null) {
      return Optional.empty();
    }
    RequestPolicy policy = settings.policy();
    Instant now = clock.instant();
    LeasePlan plan =
        LeasePlan.at(
            now,
            r.state(),
            r.leaseEnds(),
            r.leaseWarnedDays(),
            policy.leaseWarningDays(),
            policy.graceDays());
    plan.warnDays()
        .ifPresent(
            days -> {
              r.leaseWarned(days);
              mail.leaseWarning(r, days);
            });
    if (plan.expire()) {
      r.expire(now);
      mail.expired(r, r.leaseEnds().plus(Duration.ofDays(policy.graceDays())));
      changed(r, GuestRequest.BERTH);
    }
    if (plan.delete()) {
      r.beginDeletion(GuestRequest.BERTH, "lease ended " + policy.graceDays() + " days ago", now);
      if (r.state() == RequestState.DELETED) {
        jobs.releaseAddress(r, r.owner());
        mail.deleted(r, GuestRequest.BERTH);
      }
      changed(r, GuestRequest.BERTH);
    }
    return plan.next();
  }

  /** Tries a failed request again: it is approved anew and provisioning starts over. */
  public RequestView retry(long id, long version, Account caller) {
    return change(
        id,
        version,
        r -> {
          r.retry(caller.username(), clock.instant());
          addressNat(r);
          changed(r, caller.username());
        });
  }

  /**
   * For provisioning: moves an approved request to PROVISIONING. Returns the request while it is
   * being provisioned (also when it already was), or empty when it has left that path.
   */
  public Optional<GuestRequest> provisioning(long id) {
    GuestRequest r = em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (r == null) {
      return Optional.empty();
    }
    if (r.state() == RequestState.APPROVED) {
      r.startProvisioning(GuestRequest.BERTH, clock.instant());
    }
    return r.state() == RequestState.PROVISIONING ? Optional.of(r) : Optional.empty();
  }

  /** For provisioning: records the node and guest id before the guest is created. */
  public void placed(long id, GuestPlace place) {
    em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE)
        .placeGuest(place, clock.instant());
  }

  /** For provisioning: the guest runs; the owner is told. */
  public void ready(long id, GuestPlace place) {
    GuestRequest r = em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
    r.markReady(place, clock.instant());
    mail.ready(r);
    changed(r, GuestRequest.BERTH);
  }

  /** For provisioning: the guest could not be created; the owner is told why. */
  public void failed(long id, String reason) {
    GuestRequest r = em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (r.state() != RequestState.PROVISIONING) {
      return;
    }
    r.fail(reason, clock.instant());
    mail.failed(r);
    changed(r, GuestRequest.BERTH);
  }

  /** For deprovisioning: the guest is gone; the entry is released and the owner told. */
  public void guestDeleted(long id) {
    GuestRequest r = em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (r.state() != RequestState.DELETING) {
      return;
    }
    String by =
        r.events().stream()
            .filter(e -> e.to() == RequestState.DELETING)
            .reduce((first, second) -> second)
            .map(org.berth.requests.entity.RequestEvent::actor)
            .orElse(GuestRequest.BERTH);
    r.markDeleted(clock.instant());
    jobs.releaseAddress(r, by.equals(GuestRequest.BERTH) ? r.owner() : by);
    mail.deleted(r, by);
    changed(r, GuestRequest.BERTH);
  }

  private void changed(GuestRequest r, String actor) {
    List<org.berth.requests.entity.RequestEvent> events = r.events();
    org.berth.requests.entity.RequestEvent last =
        events.isEmpty() ? null : events.get(events.size() - 1);
    RequestState from = last != null && last.to() == r.state() ? last.from() : null;
    changes.fire(new RequestChanged(r.id(), r.state(), from, actor, r.approvedAt().orElse(null)));
  }

  /** Loads a request for a release job: its entry, owner and whether it still needs releasing. */
  public Optional<GuestRequest> forRelease(long id) {
    GuestRequest r = em.find(GuestRequest.class, id);
    return r != null && r.holdsAddressItNoLongerNeeds() ? Optional.of(r) : Optional.empty();
  }

  public void released(long id, String commit) {
    em.find(GuestRequest.class, id).addressReleased(commit, clock.instant());
  }

  /** A request that waits for its claim after the submitting call was cut short. */
  public Optional<GuestRequest> unclaimed(long id) {
    GuestRequest r = em.find(GuestRequest.class, id);
    return r != null && r.claimCommit() == null && r.ledgerHost().isPresent()
        ? Optional.of(r)
        : Optional.empty();
  }

  /** Adds a line to the request's audit trail without changing the request. */
  public void note(long id, String actor, String what) {
    em.persist(find(id).noted(actor, what, clock.instant()));
  }

  public GuestRequest find(long id) {
    GuestRequest r = em.find(GuestRequest.class, id);
    if (r == null) {
      throw new UnknownRequest(id);
    }
    return r;
  }

  public RequestView view(long id, boolean withEvents) {
    return RequestView.of(find(id), withEvents);
  }

  /**
   * Applies one verb to a request under its row lock. Changes of one request run one after the
   * other: the next one waits for the lock, then reads the state the previous one committed, so its
   * verb (and the jobs and mail it schedules) never works on a state that is already gone. The
   * loser of a race sees the new state and is refused by the verb (409), or by the version the
   * caller saw.
   */
  private RequestView change(long id, long version, Consumer<GuestRequest> verb) {
    GuestRequest r;
    try {
      r = em.find(GuestRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
      if (r == null) {
        throw new UnknownRequest(id);
      }
      if (version >= 0 && r.version() != version) {
        throw new ConcurrentChange(id);
      }
      verb.accept(r);
      em.flush();
    } catch (PersistenceException e) {
      if (e instanceof OptimisticLockException
          || e instanceof jakarta.persistence.PessimisticLockException
          || e instanceof jakarta.persistence.LockTimeoutException
          || e.getCause() instanceof org.hibernate.StaleStateException) {
        throw new ConcurrentChange(id);
      }
      throw e;
    }
    return RequestView.of(r, true);
  }

  /** A ledger request is decided on only once its claim is recorded (or it has been removed). */
  private static void requireSettledClaim(GuestRequest r, String verb) {
    if (r.state() == RequestState.SUBMITTED
        && r.networkMode() == NetworkMode.LEDGER
        && r.claimCommit() == null) {
      throw new org.berth.requests.entity.IllegalTransition(
          r.id(),
          r.state(),
          verb + " while its ledger entry is still being claimed; try again in" + " a moment");
    }
  }

  private boolean liveNamed(String name) {
    return !em.createQuery(
            "SELECT r.id FROM GuestRequest r WHERE r.name = :name AND r.state IN :live", Long.class)
        .setParameter("name", name)
        .setParameter("live", RequestState.live())
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  /** The request that holds the ledger entry {@code host}, if one does. */
  public Optional<Long> holderOf(String host) {
    return entryHeldByRequest(host);
  }

  private Optional<Long> entryHeldByRequest(String host) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT id FROM guest_request WHERE ledger_host = ?1"
                    + " AND address_released_at IS NULL")
            .setParameter(1, host)
            .getResultList();
    return rows.stream().map(o -> ((Number) o).longValue()).findFirst();
  }
}
