package org.berth.platform.jobs;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.exceptions.ExecutionException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.stats.MicrometerStatsRegistry;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.berth.platform.config.Settings;
import org.berth.platform.database.DatabaseMigration;
import org.eclipse.microprofile.config.Config;

/**
 * The job scheduler of this Berth instance. Boundaries call {@link #schedule}, {@link #reschedule}
 * and {@link #cancel} inside their transaction: the job row is written on the transaction's own
 * connection, and the scheduler looks for due work as soon as the transaction commits.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class Jobs {

  private static final Logger LOG = Logger.getLogger(Jobs.class.getName());

  @Resource(lookup = "java:app/jdbc/berth")
  DataSource dataSource;

  @Resource ManagedThreadFactory threads;
  @Resource ManagedScheduledExecutorService timer;
  @Resource TransactionSynchronizationRegistry transactions;

  @Inject @Any Instance<JobSource> sources;
  @Inject DatabaseMigration database;
  @Inject Config config;
  @Inject MeterRegistry registry;

  private final String name = instanceName();
  private volatile Scheduler scheduler;
  private ScheduledFuture<?> starting;
  private final List<java.util.concurrent.ExecutorService> pools = new ArrayList<>();

  private int workers;
  private Duration polling;
  private Duration heartbeat;

  /**
   * Reads the settings at once, so that a value out of its range stops the start with its name, and
   * then waits for the database in the background.
   */
  @PostConstruct
  void start() {
    Settings settings = new Settings(config);
    workers = settings.whole("berth.jobs.threads", 16, 1, 256);
    polling =
        Duration.ofSeconds(settings.whole("berth.jobs.polling-interval-seconds", 10, 1, 3600));
    heartbeat = Duration.ofSeconds(settings.whole("berth.jobs.heartbeat-seconds", 30, 1, 3600));
    starting = timer.scheduleWithFixedDelay(this::startWhenDatabaseIsReady, 0, 2, TimeUnit.SECONDS);
  }

  private synchronized void startWhenDatabaseIsReady() {
    if (scheduler != null || !database.status().ready()) {
      return;
    }
    List<Task<?>> tasks = new ArrayList<>();
    for (JobSource source : sources) {
      tasks.addAll(source.tasks());
    }
    ExecutorService work = Executors.newFixedThreadPool(workers, threads);
    ExecutorService due = Executors.newSingleThreadExecutor(threads);
    ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(threads);
    pools.addAll(List.of(work, due, housekeeping));
    Scheduler created =
        Scheduler.create(dataSource, tasks)
            .schedulerName(new SchedulerName.Fixed(name))
            .threads(workers)
            .executorService(work)
            .dueExecutor(due)
            .housekeeperExecutor(housekeeping)
            .pollingInterval(polling)
            .pollUsingLockAndFetch(0.5, 1.0)
            // A job whose instance died is taken over after this many heartbeats were missed.
            .heartbeatInterval(heartbeat)
            .missedHeartbeatsLimit(4)
            .enableImmediateExecution()
            .deleteUnresolvedAfter(Duration.ofDays(7))
            .failureLogging(com.github.kagkarlsson.scheduler.logging.LogLevel.WARN, false)
            // Runs by task and result, and their durations: dbscheduler_task_completions.
            .statsRegistry(new MicrometerStatsRegistry(registry, tasks))
            .build();
    created.start();
    scheduler = created;
    starting.cancel(false);
    LOG.log(
        Level.INFO,
        "Jobs started as instance {3}: {0} task kinds, {1} workers, polling every {2} s",
        new Object[] {tasks.size(), workers, polling.toSeconds(), name});
  }

  private static String instanceName() {
    try {
      return InetAddress.getLocalHost().getHostName()
          + "-"
          + UUID.randomUUID().toString().substring(0, 8);
    } catch (java.io.IOException e) {
      return "berth-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }

  @PreDestroy
  void stop() {
    if (starting != null) {
      starting.cancel(false);
    }
    Scheduler s = scheduler;
    if (s != null) {
      s.stop();
    }
    pools.forEach(ExecutorService::shutdownNow);
  }

  /** This instance's name among the schedulers sharing the database. */
  public String instance() {
    return name;
  }

  /** Whether {@code instance} is being executed right now, by this or another instance. */
  public boolean executing(TaskInstanceId instance) {
    return scheduler().getScheduledExecution(instance).map(e -> e.isPicked()).orElse(false);
  }

  /** Whether the scheduler runs (it waits for the database at start-up). */
  public boolean running() {
    return scheduler != null;
  }

  /**
   * Schedules {@code instance} at {@code when}, or moves it there if it is already scheduled and
   * not running right now. Joins the caller's transaction.
   */
  public <T> void schedule(TaskInstance<T> instance, Instant when) {
    Scheduler s = scheduler();
    Optional<ScheduledExecution<Object>> existing = s.getScheduledExecution(instance);
    if (existing.isEmpty()) {
      s.schedule(instance, when);
    } else if (!existing.get().isPicked()) {
      try {
        s.reschedule(instance, when);
      } catch (ExecutionException | TaskInstanceCurrentlyExecutingException e) {
        // Picked (or done) between the look and the move: it runs now, from the state it reads.
        LOG.log(Level.FINE, "Job {0} started before it could be moved", instance);
      }
    }
    // A running instance cannot be moved; it decides its own next run from the state it reads.
    wakeAfterCommit(s);
  }

  /**
   * Schedules {@code instance} at {@code when} unless an instance of that id exists already;
   * answers whether it was scheduled. Joins the caller's transaction.
   */
  public <T> boolean scheduleIfAbsent(TaskInstance<T> instance, Instant when) {
    Scheduler s = scheduler();
    if (s.getScheduledExecution(instance).isPresent()) {
      return false;
    }
    s.schedule(instance, when);
    wakeAfterCommit(s);
    return true;
  }

  /**
   * Removes a scheduled instance, if there is one. Joins the caller's transaction. An instance that
   * another transaction removed, or the scheduler picked, between the look and the removal is left
   * to itself: it reads the state it acts on when it runs.
   */
  public void cancel(TaskInstanceId instance) {
    Scheduler s = scheduler();
    Optional<ScheduledExecution<Object>> existing = s.getScheduledExecution(instance);
    if (existing.isPresent() && !existing.get().isPicked()) {
      try {
        s.cancel(instance);
      } catch (ExecutionException
          | TaskInstanceNotFoundException
          | TaskInstanceCurrentlyExecutingException e) {
        LOG.log(Level.FINE, "Job {0} was gone or started before it could be removed", instance);
      }
    }
    // A running one-time instance is removed when it completes.
  }

  /** When {@code instance} runs next, if it is scheduled. */
  public Optional<Instant> next(TaskInstanceId instance) {
    return scheduler().getScheduledExecution(instance).map(e -> e.getExecutionTime());
  }

  private Scheduler scheduler() {
    Scheduler s = scheduler;
    if (s == null) {
      throw new IllegalStateException(
          "the job scheduler has not started: the database is not ready");
    }
    return s;
  }

  private void wakeAfterCommit(Scheduler s) {
    if (transactions.getTransactionKey() == null) {
      s.triggerCheckForDueExecutions();
      return;
    }
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              s.triggerCheckForDueExecutions();
            }
          }
        });
  }
}
