package org.berth.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.berth.testing.MapConfig;
import org.berth.testing.TestDatabase;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mail readiness and gauges read from a real outbox and job table. */
class MailHealthTest {

  DataSource db = TestDatabase.fresh();
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  MailHealth health = new MailHealth();

  @BeforeEach
  void wire() {
    health.dataSource = db;
    health.registry = registry;
    health.config = new MapConfig(java.util.Map.of("berth.mail.stuck-minutes", "30"));
    MailSettings smtp =
        new MailSettings(
            Optional.of("127.0.0.1"),
            2525,
            Optional.empty(),
            Optional.empty(),
            false,
            "berth@example.org",
            "https://berth.example.org",
            List.of(),
            5);
    health.outbox =
        new Outbox() {
          @Override
          public MailSettings settings() {
            return smtp;
          }
        };
    health.create();
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /** A message queued {@code minutesAgo}; with {@code retried}, its delivery job is still due. */
  void queued(int minutesAgo, boolean retried) throws SQLException {
    String id = "(SELECT max(id) FROM mail_outbox)";
    sql(
        "INSERT INTO mail_outbox (recipient, subject, body, created, attempts, last_error) VALUES"
            + " ('ada@example.org', 'ready', 'x', now() - interval '"
            + minutesAgo
            + " minutes', 3, '421 try later')");
    if (retried) {
      sql(
          "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
              + " SELECT 'mail-delivery', "
              + id
              + "::text, now() + interval '1 minute', false, 1");
    }
  }

  double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void mailThatWaitsLessThanTheLimitKeepsBerthReady() throws SQLException {
    queued(5, true);

    HealthCheckResponse r = health.call();

    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(r.getData().orElseThrow()).containsEntry("state", "1 message(s) waiting to be sent");
    assertThat(gauge("berth_mail_unsent", "retrying", "true")).isEqualTo(1);
    assertThat(gauge("berth_mail_oldest_retrying_age")).isBetween(299.0, 400.0);
  }

  @Test
  void mailStillRetriedPastTheLimitIsStuck() throws SQLException {
    queued(45, true);
    queued(2, true);

    HealthCheckResponse r = health.call();

    assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(r.getData().orElseThrow().get("reason").toString())
        .startsWith("2 message(s) not sent, the oldest queued 45 minutes ago")
        .contains("berth.mail.stuck-minutes");
  }

  @Test
  void mailTheJobGaveUpOnIsCountedButNoLongerHoldsReadinessDown() throws SQLException {
    queued(600, false);
    sql(
        "INSERT INTO mail_outbox (recipient, subject, body, sent_at) VALUES ('b@x', 's', 'b', now())");

    assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(gauge("berth_mail_unsent", "retrying", "false")).isEqualTo(1);
    assertThat(gauge("berth_mail_unsent", "retrying", "true")).isZero();
  }

  @Test
  void anOutboxThatCannotBeReadIsDownAndItsGaugesAreGaps() throws SQLException {
    sql("DROP TABLE mail_outbox CASCADE");

    assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(gauge("berth_mail_unsent", "retrying", "true")).isNaN();
  }
}
