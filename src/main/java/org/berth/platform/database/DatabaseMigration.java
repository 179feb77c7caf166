package org.berth.platform.database;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Mode;
import org.eclipse.microprofile.config.Config;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Brings the database up to the current schema when Berth starts, and keeps trying while it is
 * unavailable.
 *
 * <p>A bad or unreachable database is one clear log line naming the setting and the cause, then a
 * quiet retry every {@code berth.db.retry-interval-seconds}; a recovery is one line too. Until the
 * schema is migrated, {@link #status()} says why Berth is not ready, and readiness reports DOWN. A
 * setting that breaks a rule is not retried: it needs the operator.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseMigration {

  private static final Logger LOG = Logger.getLogger(DatabaseMigration.class.getName());

  /** What readiness and the request gate read. */
  public record Status(boolean ready, String detail) {}

  @Resource private ManagedScheduledExecutorService scheduler;
  @Inject Config config;
  @Inject Mode mode;
  @Inject Event<DatabaseReady> ready;

  private volatile Status status = new Status(false, "Berth is starting");
  private volatile String lastFailure;
  private final java.util.concurrent.atomic.AtomicInteger failedAttempts =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile ScheduledFuture<?> retries;
  private long retrySeconds = 10;

  @PostConstruct
  void start() {
    if (!attempt()) {
      retries =
          scheduler.scheduleWithFixedDelay(
              () -> {
                if (attempt()) {
                  retries.cancel(false);
                }
              },
              retrySeconds,
              retrySeconds,
              TimeUnit.SECONDS);
    }
  }

  public Status status() {
    return status;
  }

  /** How many tries to obtain and migrate the database have failed since start-up. */
  public int failedAttempts() {
    return failedAttempts.get();
  }

  /**
   * One try: obtain the database and migrate it. Returns whether trying is over: the schema is
   * usable, or a setting is invalid and only the operator can mend it.
   */
  public synchronized boolean attempt() {
    if (status.ready()) {
      return true;
    }
    if (mode.refusal().isPresent()) {
      String missing =
          mode.refusals().stream()
              .map(InvalidSetting::getMessage)
              .collect(java.util.stream.Collectors.joining("; "));
      status = new Status(false, "Berth refuses to start: " + missing);
      LOG.log(Level.SEVERE, "Berth refuses to start: {0}", missing);
      return true; // the database is not opened until the operator sets what is missing
    }
    DatabaseSettings settings;
    try {
      settings = DatabaseSettings.from(config);
    } catch (InvalidSetting e) {
      status = new Status(false, "Invalid setting: " + e.getMessage());
      LOG.log(Level.SEVERE, "Berth cannot use its database. Invalid setting: {0}", e.getMessage());
      return true; // nothing to retry until the operator changes the setting
    }
    retrySeconds = settings.retryInterval().toSeconds();
    try {
      DatabaseServer server = DatabaseServer.obtain(settings);
      String version = migrate(server.dataSource());
      status = new Status(true, "schema version " + version + " on " + server.describe());
      LOG.log(
          Level.INFO,
          lastFailure == null ? "Database ready: {0}" : "Database available again; ready: {0}",
          status.detail());
      lastFailure = null;
      try {
        ready.fire(new DatabaseReady(status.detail()));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Start-up work after the migration failed: {0}", rootMessage(e));
      }
      return true;
    } catch (SQLException | RuntimeException e) {
      String cause = rootMessage(e);
      String detail =
          "Database unavailable ("
              + DatabaseSettings.URL
              + "="
              + settings.redactedUrl()
              + "): "
              + cause;
      status = new Status(false, detail);
      failedAttempts.incrementAndGet();
      if (!Objects.equals(cause, lastFailure)) {
        LOG.log(
            Level.SEVERE,
            "{0}; retrying every {1} s",
            new Object[] {detail, settings.retryInterval().toSeconds()});
        LOG.log(Level.FINE, "Database failure", e);
      }
      lastFailure = cause;
      return false;
    }
  }

  /** Migrates the database behind {@code dataSource} to Berth's schema; returns its version. */
  public static String migrate(javax.sql.DataSource dataSource) {
    Flyway flyway =
        Flyway.configure(DatabaseMigration.class.getClassLoader())
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            // A schema migrated by a newer Berth is refused (Flyway ignores "future" migrations by
            // default): an old version must never run on a database it does not know.
            .ignoreMigrationPatterns(new String[0])
            .load();
    flyway.migrate();
    MigrationInfo current = flyway.info().current();
    return current == null ? "none" : current.getVersion().getVersion();
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String line = message.lines().findFirst().orElse(message).strip();
    return DatabaseSettings.redact(line);
  }

  @PreDestroy
  void stop() {
    if (retries != null) {
      retries.cancel(true);
    }
    DatabaseServer.shutdown();
  }
}
