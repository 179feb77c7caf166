package org.berth.provisioning.boundary;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.berth.platform.jobs.JobSource;
import org.berth.platform.jobs.Jobs;
import org.berth.provisioning.boundary.Provisioner.PowerAction;
import org.berth.requests.boundary.RequestChanged;

/**
 * The persistent jobs of provisioning, one instance per request each:
 *
 * <ul>
 *   <li>{@code provision}: from APPROVED to READY, one recorded step at a time;
 *   <li>{@code deprovision}: stops and deletes the guest of a request in DELETING, then records it
 *       DELETED (which releases its ledger entry);
 *   <li>{@code guest-power}: start, shutdown, stop or reboot, for the owner or at the lease's end;
 *   <li>{@code guest-snapshot}: take, roll back or delete one snapshot, for the owner;
 *   <li>{@code reconcile}: one recurring job for the cluster, comparing Berth's records with it.
 * </ul>
 *
 * Jobs are scheduled in the transaction that moves the request, through {@link RequestChanged}. A
 * job that must wait (for a node slot, or for another job of the same request) reschedules itself;
 * only a bug makes one fail, and then db-scheduler tries it again a minute later.
 */
@ApplicationScoped
public class ProvisioningJobs implements JobSource {

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(ProvisioningJobs.class.getName());

  static final String PROVISION = "provision";
  static final String DEPROVISION = "deprovision";
  static final String POWER = "guest-power";
  static final String SNAPSHOT = "guest-snapshot";
  private static final Duration BUSY = Duration.ofSeconds(2);

  @Inject Jobs jobs;
  @Inject Provisioner provisioner;
  @Inject ProvisioningStore store;
  @Inject ProvisioningSettings settings;
  @Inject Reconciliation reconciliation;

  private CustomTask<Void> provision;
  private CustomTask<Void> deprovision;
  private CustomTask<String> power;
  private CustomTask<String> snapshot;
  private RecurringTask<Void> reconcile;

  @PostConstruct
  void define() {
    provision =
        Tasks.custom(PROVISION, Void.class)
            .onFailureReschedule(FixedDelay.of(Duration.ofMinutes(1)))
            .execute(
                (instance, context) -> {
                  long id = Long.parseLong(instance.getId());
                  return then(() -> provisioner.provision(id));
                });
    deprovision =
        Tasks.custom(DEPROVISION, Void.class)
            .onFailureReschedule(FixedDelay.of(Duration.ofMinutes(1)))
            .execute(
                (instance, context) -> {
                  long id = Long.parseLong(instance.getId());
                  if (jobs.executing(TaskInstanceId.of(PROVISION, instance.getId()))
                      || jobs.executing(TaskInstanceId.of(SNAPSHOT, instance.getId()))) {
                    // The provisioning job sees the deletion at its next step and stops; a
                    // snapshot being copied finishes before the guest's volumes go.
                    return then(() -> Optional.of(Instant.now().plus(BUSY)));
                  }
                  return then(() -> provisioner.deprovision(id));
                });
    power =
        Tasks.custom(POWER, String.class)
            .onFailureReschedule(FixedDelay.of(Duration.ofMinutes(1)))
            .execute(
                (instance, context) -> {
                  String request = requestOf(instance.getId());
                  Optional<PowerJob> job = PowerJob.read(request, instance.getData());
                  if (job.isEmpty()) {
                    return unreadable(POWER, instance.getId(), instance.getData());
                  }
                  long id = job.get().request();
                  PowerAction action = job.get().action();
                  Tries tries = job.get().tries();
                  // Only the action asked for later waits for the first: never both for each
                  // other. Neither runs while the guest is created or a snapshot is at work.
                  boolean after = instance.getId().endsWith(AFTER);
                  if (jobs.executing(TaskInstanceId.of(PROVISION, request))
                      || jobs.executing(TaskInstanceId.of(SNAPSHOT, request))
                      || (after && jobs.executing(TaskInstanceId.of(POWER, request)))) {
                    return (done, ops) ->
                        ops.reschedule(done, Instant.now().plus(BUSY), instance.getData());
                  }
                  if (after) {
                    // The first action's retry, still waiting, gives way to the one asked later.
                    jobs.cancel(TaskInstanceId.of(POWER, request));
                  }
                  Optional<Provisioner.Later> next = provisioner.power(id, action, tries);
                  return next.isPresent()
                      ? (CompletionHandler<String>)
                          (done, ops) ->
                              ops.reschedule(
                                  done, next.get().at(), action + ":" + next.get().tries().encode())
                      : new CompletionHandler.OnCompleteRemove<>();
                });
    snapshot =
        Tasks.custom(SNAPSHOT, String.class)
            .onFailureReschedule(FixedDelay.of(Duration.ofMinutes(1)))
            .execute(
                (instance, context) -> {
                  Optional<SnapshotJob> job =
                      SnapshotJob.read(instance.getId(), instance.getData());
                  if (job.isEmpty()) {
                    return unreadable(SNAPSHOT, instance.getId(), instance.getData());
                  }
                  long id = job.get().request();
                  SnapshotAction action = job.get().action();
                  Tries tries = job.get().tries();
                  String name = job.get().name();
                  if (jobs.executing(TaskInstanceId.of(PROVISION, instance.getId()))
                      || powerRunning(instance.getId())) {
                    return (done, ops) ->
                        ops.reschedule(done, Instant.now().plus(BUSY), instance.getData());
                  }
                  Optional<Provisioner.Later> next = provisioner.snapshot(id, action, name, tries);
                  return next.isPresent()
                      ? (CompletionHandler<String>)
                          (done, ops) ->
                              ops.reschedule(
                                  done,
                                  next.get().at(),
                                  action + ":" + next.get().tries().encode() + ":" + name)
                      : new CompletionHandler.OnCompleteRemove<>();
                });
    reconcile =
        Tasks.recurring("reconcile", FixedDelay.of(settings.reconcileEvery()))
            .execute((instance, context) -> reconciliation.run());
  }

  /** A power job's data, {@code ACTION} or {@code ACTION:TRIES} (see {@link Tries}). */
  record PowerJob(long request, PowerAction action, Tries tries) {
    /** The job of request {@code request}; empty when its id or data cannot be read. */
    static Optional<PowerJob> read(String request, String data) {
      try {
        String[] fields = data.split(":", -1);
        return fields.length > 2
            ? Optional.empty()
            : Optional.of(
                new PowerJob(
                    Long.parseLong(request),
                    PowerAction.valueOf(fields[0]),
                    fields.length > 1 ? Tries.decode(fields[1]) : Tries.FIRST));
      } catch (IllegalArgumentException | NullPointerException e) {
        return Optional.empty();
      }
    }
  }

  /** A snapshot job's data, {@code ACTION:TRIES:NAME}; names never hold a colon. */
  record SnapshotJob(long request, SnapshotAction action, Tries tries, String name) {
    /** The job of request {@code request}; empty when its id or data cannot be read. */
    static Optional<SnapshotJob> read(String request, String data) {
      try {
        String[] fields = data.split(":", 3);
        return fields.length < 3
            ? Optional.empty()
            : Optional.of(
                new SnapshotJob(
                    Long.parseLong(request),
                    SnapshotAction.valueOf(fields[0]),
                    Tries.decode(fields[1]),
                    fields[2]));
      } catch (IllegalArgumentException | NullPointerException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Drops a job whose data cannot be read, saying so in the log, instead of failing it again every
   * minute without end (and, for a snapshot job, refusing every snapshot action of its guest).
   */
  private static <T> CompletionHandler<T> unreadable(String task, String instance, String data) {
    String shown = data == null ? "" : data.length() > 200 ? data.substring(0, 200) + "…" : data;
    LOG.log(
        java.util.logging.Level.WARNING,
        "Dropped the {0} job {1}: its data ''{2}'' cannot be read; ask for the action again",
        new Object[] {task, instance, shown});
    return new CompletionHandler.OnCompleteRemove<>();
  }

  private static <T> CompletionHandler<T> then(Supplier<Optional<Instant>> step) {
    Optional<Instant> next = step.get();
    return next.isPresent()
        ? (done, ops) -> ops.reschedule(done, next.get())
        : new CompletionHandler.OnCompleteRemove<>();
  }

  @Override
  public List<Task<?>> tasks() {
    return List.of(provision, deprovision, power, snapshot, reconcile);
  }

  /** Schedules the work a request's new state asks for, in the transaction that moved it. */
  void onChange(@Observes RequestChanged change) {
    String id = String.valueOf(change.id());
    switch (change.state()) {
      case APPROVED -> {
        store.restart(change.id());
        jobs.schedule(provision.instance(id), Instant.now());
      }
      case EXPIRED -> {
        if (!schedulePower(change.id(), PowerAction.SHUTDOWN)) {
          // Two power actions are running. Should the guest still run afterwards, reconciliation
          // reports it as still running, for an admin to stop.
          LOG.log(
              java.util.logging.Level.INFO,
              "Request {0} expired while two power actions of its guest ran",
              change.id());
        }
      }
      case DELETING -> jobs.schedule(deprovision.instance(id), Instant.now());
      default -> {}
    }
  }

  /**
   * Asks for a power action on the request's guest; the job runs right after the commit. An action
   * asked for while another one runs is not lost: it waits under the request's second instance id
   * and runs once the first has ended. An action still waiting gives way to the one asked for last.
   *
   * @return false, scheduling nothing, when two power actions of the guest are running already
   */
  boolean schedulePower(long id, PowerAction action) {
    for (String instance : List.of(String.valueOf(id), id + AFTER)) {
      TaskInstanceId key = TaskInstanceId.of(POWER, instance);
      if (jobs.executing(key)) {
        continue;
      }
      jobs.cancel(key);
      if (jobs.scheduleIfAbsent(power.instance(instance, action.name()), Instant.now())) {
        return true;
      }
    }
    return false;
  }

  /** The suffix of a request's second power job id, for an action asked while one runs. */
  static final String AFTER = "-after";

  /** The request of a power job's instance id. */
  static String requestOf(String instance) {
    return instance.endsWith(AFTER)
        ? instance.substring(0, instance.length() - AFTER.length())
        : instance;
  }

  /** Whether a power action of the request is running. */
  private boolean powerRunning(String request) {
    return jobs.executing(TaskInstanceId.of(POWER, request))
        || jobs.executing(TaskInstanceId.of(POWER, request + AFTER));
  }

  /** Asks for a snapshot action on the request's guest; the job runs right after the commit. */
  void scheduleSnapshot(long id, SnapshotAction action, String name) {
    jobs.schedule(snapshot.instance(String.valueOf(id), action + ":0:" + name), Instant.now());
  }

  /** Whether a snapshot action of the request is waiting or running. */
  boolean snapshotPending(long id) {
    return jobs.next(TaskInstanceId.of(SNAPSHOT, String.valueOf(id))).isPresent();
  }

  /** Runs the reconciliation now rather than at its next turn. */
  void reconcileNow() {
    jobs.schedule(reconcile.instance(RecurringTask.INSTANCE), Instant.now());
  }
}
