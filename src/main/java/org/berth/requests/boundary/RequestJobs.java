package org.berth.requests.boundary;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.identity.Account;
import org.berth.identity.People;
import org.berth.ledger.boundary.Ledger;
import org.berth.ledger.boundary.LedgerQueries;
import org.berth.ledger.control.LedgerWriter;
import org.berth.ledger.control.NotHolder;
import org.berth.ledger.control.UnknownEntry;
import org.berth.platform.jobs.JobSource;
import org.berth.platform.jobs.Jobs;
import org.berth.requests.control.LeasePlan;
import org.berth.requests.entity.GuestRequest;

/**
 * The persistent jobs of requests, one instance per request each:
 *
 * <ul>
 *   <li>{@code lease}: wakes at the lease's next deadline (a warning, the end, the end of grace);
 *   <li>{@code address-release}: gives the ledger entry of a finished request back, with a release
 *       commit, retrying while the remote is unreachable;
 *   <li>{@code claim-check}: settles a submission whose claim outcome was never recorded (the
 *       process stopped between the claim and its record).
 * </ul>
 */
@ApplicationScoped
public class RequestJobs implements JobSource {

  private static final Logger LOG = Logger.getLogger(RequestJobs.class.getName());
  static final Duration CLAIM_CHECK_DELAY = Duration.ofMinutes(5);

  @Inject Jobs jobs;
  @Inject RequestStore store;
  @Inject Ledger ledger;
  @Inject LedgerQueries entries;
  @Inject People people;
  @Inject RequestSettings settings;

  private CustomTask<Void> lease;
  private OneTimeTask<String> release;
  private OneTimeTask<Void> claimCheck;

  @PostConstruct
  void define() {
    lease =
        Tasks.custom("lease", Void.class)
            .onFailureReschedule(
                com.github.kagkarlsson.scheduler.task.schedule.FixedDelay.of(Duration.ofMinutes(5)))
            .execute(
                (instance, context) -> {
                  Optional<Instant> next = store.leaseDue(Long.parseLong(instance.getId()));
                  return next.isPresent()
                      ? (CompletionHandler<Void>) (done, ops) -> ops.reschedule(done, next.get())
                      : new CompletionHandler.OnCompleteRemove<>();
                });
    release =
        Tasks.oneTime("address-release", String.class)
            .onFailure(
                new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(30), 2.0))
            .execute(
                (instance, context) ->
                    releaseNow(Long.parseLong(instance.getId()), instance.getData()));
    claimCheck =
        Tasks.oneTime("claim-check", Void.class)
            .onFailure(
                new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofMinutes(1), 2.0))
            .execute((instance, context) -> settleClaim(Long.parseLong(instance.getId())));
  }

  @Override
  public List<Task<?>> tasks() {
    return List.of(lease, release, claimCheck);
  }

  /** Points the request's lease job at its next deadline, or removes it; in the caller's tx. */
  void leaseChanged(GuestRequest r) {
    TaskInstanceId id = TaskInstanceId.of("lease", String.valueOf(r.id()));
    Optional<Instant> next =
        LeasePlan.at(
                Instant.now(),
                r.state(),
                r.leaseEnds(),
                r.leaseWarnedDays(),
                settings.policy().leaseWarningDays(),
                settings.policy().graceDays())
            .next();
    if (next.isPresent()) {
      jobs.schedule(lease.instance(String.valueOf(r.id())), next.get());
    } else {
      jobs.cancel(id);
    }
  }

  /** Schedules the release of the request's entry, if it holds one; in the caller's tx. */
  void releaseAddress(GuestRequest r, String actor) {
    if (r.holdsAddressItNoLongerNeeds()) {
      jobs.schedule(release.instance(String.valueOf(r.id()), actor), Instant.now());
    }
  }

  void checkClaimLater(long id) {
    checkClaimAt(id, Instant.now().plus(CLAIM_CHECK_DELAY));
  }

  void checkClaimAt(long id, Instant when) {
    jobs.schedule(claimCheck.instance(String.valueOf(id)), when);
  }

  void claimSettled(long id) {
    jobs.cancel(TaskInstanceId.of("claim-check", String.valueOf(id)));
  }

  private void releaseNow(long id, String actor) {
    Optional<GuestRequest> held = store.forRelease(id);
    if (held.isEmpty()) {
      return;
    }
    GuestRequest r = held.get();
    String host = r.ledgerHost().orElseThrow();
    Account author =
        people.account(actor).orElseGet(() -> new Account(actor, actor, null, Set.of()));
    String commit = null;
    try {
      LedgerWriter.Outcome outcome = ledger.release(host, r.owner(), author, "request " + id);
      commit = outcome.commit();
    } catch (NotHolder | UnknownEntry e) {
      LOG.log(
          Level.WARNING,
          "Request {0}: {1} was not released by Berth: {2}",
          new Object[] {id, host, e.getMessage()});
    }
    store.released(id, commit);
  }

  private void settleClaim(long id) {
    Optional<GuestRequest> waiting = store.unclaimed(id);
    if (waiting.isEmpty()) {
      return;
    }
    GuestRequest r = waiting.get();
    String host = r.ledgerHost().orElseThrow();
    ledger.sync();
    Optional<LedgerQueries.Entry> entry = entries.entry(host);
    if (entry.isPresent() && r.owner().equals(entry.get().holder())) {
      LedgerQueries.Entry e = entry.get();
      String commit =
          entries.history(host).stream().findFirst().map(LedgerQueries.Change::commit).orElse(null);
      store.claimed(id, commit, e.ipv4(), e.ipv6(), e.mac());
      LOG.log(Level.INFO, "Request {0}: recovered its claim of {1}", new Object[] {id, host});
    } else {
      store.discard(id);
      LOG.log(
          Level.INFO,
          "Request {0}: its claim of {1} never landed; the request is removed",
          new Object[] {id, host});
    }
  }
}
