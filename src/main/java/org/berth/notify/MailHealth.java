package org.berth.notify;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.berth.platform.config.Settings;
import org.berth.platform.metrics.Sampled;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * How mail is getting on, from the outbox: readiness is DOWN while a message that is still being
 * retried was queued more than {@code berth.mail.stuck-minutes} ago (the SMTP server has refused or
 * been away that long). The same figures are the gauges {@code berth_mail_unsent{retrying}} and
 * {@code berth_mail_oldest_retrying_age_seconds}. A message the delivery job gave up on stays in
 * the outbox for admins to see; it no longer holds readiness down.
 */
@Readiness
@ApplicationScoped
public class MailHealth implements HealthCheck {

  static final String NAME = "mail";
  static final String STUCK = "berth.mail.stuck-minutes";

  /** Unsent mail, split by whether the delivery job still tries it. */
  record Queue(long retrying, long notRetried, double oldestRetryingSeconds) {
    static final Queue UNKNOWN = new Queue(-1, -1, Double.NaN);

    boolean known() {
      return retrying >= 0;
    }
  }

  @Resource(lookup = "java:app/jdbc/berth")
  DataSource dataSource;

  @Inject Outbox outbox;
  @Inject Config config;
  @Inject MeterRegistry registry;

  private Duration stuck;
  private Sampled<Queue> queue;

  @PostConstruct
  void create() {
    stuck = Duration.ofMinutes(new Settings(config).whole(STUCK, 30, 1, 10_080));
    queue = new Sampled<>(Duration.ofSeconds(5), this::read, Queue.UNKNOWN);
    Gauge.builder("berth_mail_unsent", this, m -> count(m.queue.get().retrying()))
        .description("Mail not sent yet, by whether delivery is still being tried")
        .tag("retrying", "true")
        .register(registry);
    Gauge.builder("berth_mail_unsent", this, m -> count(m.queue.get().notRetried()))
        .description("Mail not sent yet, by whether delivery is still being tried")
        .tag("retrying", "false")
        .register(registry);
    Gauge.builder(
            "berth_mail_oldest_retrying_age", this, m -> m.queue.get().oldestRetryingSeconds())
        .description("How long the oldest message still being retried has waited")
        .baseUnit("seconds")
        .register(registry);
  }

  /** Registers the gauges at start-up, so that they are there from the first scrape. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing creates the bean, which registers its gauges.
  }

  private static double count(long n) {
    return n < 0 ? Double.NaN : n;
  }

  private Queue read() {
    String sql =
        "SELECT count(t.task_instance), count(*) - count(t.task_instance),"
            + " extract(epoch FROM now() - min(m.created) FILTER (WHERE t.task_instance IS NOT"
            + " NULL))"
            + " FROM mail_outbox m LEFT JOIN scheduled_tasks t"
            + " ON t.task_name = ? AND t.task_instance = m.id::text"
            + " WHERE m.sent_at IS NULL";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setQueryTimeout(3);
      s.setString(1, Outbox.TASK);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        long retrying = r.getLong(1);
        long notRetried = r.getLong(2);
        double oldest = r.getDouble(3);
        return new Queue(retrying, notRetried, r.wasNull() ? 0 : oldest);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the outbox: " + e.getMessage(), e);
    }
  }

  @Override
  public HealthCheckResponse call() {
    if (!outbox.settings().delivers()) {
      return answer(true, "no SMTP server (berth.mail.smtp-host): mail stays in the outbox");
    }
    Queue q = queue.get();
    if (!q.known()) {
      return answer(false, "the outbox cannot be read");
    }
    if (q.oldestRetryingSeconds() < stuck.toSeconds()) {
      return answer(true, q.retrying() + " message(s) waiting to be sent");
    }
    return answer(
        false,
        q.retrying()
            + " message(s) not sent, the oldest queued "
            + Math.round(q.oldestRetryingSeconds() / 60)
            + " minutes ago (more than "
            + STUCK
            + "); the outbox page shows the SMTP server's answer");
  }

  private static HealthCheckResponse answer(boolean up, String detail) {
    return new HealthCheckResponse(
        NAME,
        up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
        Optional.of(Map.of(up ? "state" : "reason", detail)));
  }
}
