package org.berth.platform.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import org.berth.platform.metrics.Sampled;

/**
 * The job table as gauges, the same on every instance since they share it: jobs that are due and
 * not taken ({@code berth_jobs_due}), how late the oldest of them is ({@code
 * berth_jobs_oldest_due_age_seconds}), jobs running now and jobs whose last run failed. A backlog
 * that grows while nothing runs means no instance is working through it.
 */
@ApplicationScoped
public class JobBacklog {

  record Backlog(double due, double oldestDueSeconds, double running, double failing) {
    static final Backlog UNKNOWN = new Backlog(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  @Resource(lookup = "java:app/jdbc/berth")
  DataSource dataSource;

  @Inject MeterRegistry registry;

  private Sampled<Backlog> backlog;

  @PostConstruct
  void create() {
    backlog = new Sampled<>(Duration.ofSeconds(5), this::read, Backlog.UNKNOWN);
    gauge("berth_jobs_due", "Jobs due and not taken by any instance", Backlog::due, null);
    gauge(
        "berth_jobs_oldest_due_age",
        "How long the oldest job that is due and not taken has waited",
        Backlog::oldestDueSeconds,
        "seconds");
    gauge("berth_jobs_running", "Jobs an instance is running now", Backlog::running, null);
    gauge(
        "berth_jobs_failing",
        "Jobs whose last run failed and that are waiting to be tried again",
        Backlog::failing,
        null);
  }

  private void gauge(String name, String help, ToDoubleFunction<Backlog> figure, String unit) {
    Gauge.builder(name, this, b -> figure.applyAsDouble(b.backlog.get()))
        .description(help)
        .baseUnit(unit)
        .register(registry);
  }

  /** Registers the gauges at start-up, so that they are there from the first scrape. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing creates the bean, which registers its gauges.
  }

  private Backlog read() {
    String sql =
        "SELECT count(*) FILTER (WHERE due), extract(epoch FROM now() - min(execution_time)"
            + " FILTER (WHERE due)), count(*) FILTER (WHERE picked), count(*) FILTER (WHERE"
            + " consecutive_failures > 0)"
            + " FROM (SELECT *, NOT picked AND execution_time <= now() AS due"
            + " FROM scheduled_tasks) t";
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(3);
      try (ResultSet r = s.executeQuery(sql)) {
        r.next();
        long due = r.getLong(1);
        double oldest = r.getDouble(2);
        boolean none = r.wasNull();
        return new Backlog(due, none ? 0 : oldest, r.getLong(3), r.getLong(4));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the job table: " + e.getMessage(), e);
    }
  }
}
