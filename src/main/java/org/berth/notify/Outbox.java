package org.berth.notify;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.berth.platform.database.SqlValues;
import org.berth.platform.jobs.JobSource;
import org.berth.platform.jobs.Jobs;
import org.eclipse.microprofile.config.Config;

/**
 * Mail waiting to be sent, and the job that sends it. Mail is queued in the caller's transaction;
 * the job delivers each message once, retrying with backoff while the server is unreachable.
 */
@ApplicationScoped
public class Outbox implements JobSource {

  private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
  static final String TASK = "mail-delivery";

  /** A message as the outbox page shows it. */
  public record Mail(
      long id,
      String recipient,
      String subject,
      String body,
      Long requestId,
      OffsetDateTime created,
      OffsetDateTime sentAt,
      int attempts,
      String lastError) {

    public String status() {
      if (sentAt != null) {
        return "sent";
      }
      return lastError == null ? "not sent" : "failing";
    }
  }

  @PersistenceContext EntityManager em;

  @Resource(lookup = "java:app/jdbc/berth")
  DataSource dataSource;

  @Inject Jobs jobs;
  @Inject Config config;
  @Inject MeterRegistry registry;

  private MailSettings settings;
  private Mailer mailer;
  private OneTimeTask<Void> delivery;
  private Counter sent;
  private Counter failed;

  /** Reads the settings at start-up, so that one out of its range stops the start by name. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // creating the bean reads them
  }

  @PostConstruct
  void init() {
    settings = MailSettings.from(config);
    mailer = settings.delivers() ? new Mailer(settings) : null;
    sent =
        Counter.builder("berth_mail_sent")
            .description("Messages the SMTP server accepted")
            .register(registry);
    failed =
        Counter.builder("berth_mail_attempt_failures")
            .description("Delivery attempts the SMTP server refused or did not answer")
            .register(registry);
    delivery =
        Tasks.oneTime(TASK)
            .onFailure(
                new FailureHandler.MaxRetriesFailureHandler<>(
                    10,
                    new FailureHandler.ExponentialBackoffFailureHandler<>(
                        Duration.ofSeconds(15), 2.0)))
            .execute((instance, context) -> deliver(Long.parseLong(instance.getId())));
  }

  @Override
  public List<Task<?>> tasks() {
    return List.of(delivery);
  }

  /** The settings mail is sent with. */
  public MailSettings settings() {
    return settings;
  }

  /**
   * Queues a message in the caller's transaction; with SMTP configured, it is sent right after the
   * commit. The subject is put on one line and the body's line breaks are normalised ({@link
   * MailText}), so no text a person typed can add a header.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void queue(String recipient, String subject, String body, Long requestId) {
    Number id =
        (Number)
            em.createNativeQuery(
                    "INSERT INTO mail_outbox (recipient, subject, body, request_id)"
                        + " VALUES (?1, ?2, ?3, ?4) RETURNING id")
                .setParameter(1, MailText.subject(recipient))
                .setParameter(2, MailText.subject(subject))
                .setParameter(3, MailText.body(body))
                .setParameter(4, requestId)
                .getSingleResult();
    if (mailer != null) {
      jobs.schedule(delivery.instance(String.valueOf(id.longValue())), Instant.now());
    }
  }

  private void deliver(long id) {
    Object[] row = row(id);
    if (row == null || row[3] != null) {
      return;
    }
    try {
      mailer.send((String) row[0], (String) row[1], (String) row[2]);
      mark(id, null);
      sent.increment();
      LOG.log(Level.FINE, "Mail {0} sent to {1}", new Object[] {id, row[0]});
    } catch (Mailer.MailFailed e) {
      mark(id, e.getMessage());
      failed.increment();
      LOG.log(Level.WARNING, "Mail {0} not sent yet: {1}", new Object[] {id, e.getMessage()});
      throw e;
    }
  }

  // The job runs on a scheduler thread, outside any transaction: plain statements, auto-commit.
  private Object[] row(long id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT recipient, subject, body, sent_at FROM mail_outbox WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? new Object[] {r.getString(1), r.getString(2), r.getString(3), r.getObject(4)}
            : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read mail " + id + ": " + e.getMessage(), e);
    }
  }

  private void mark(long id, String error) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                error == null
                    ? "UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1,"
                        + " last_error = NULL WHERE id = ?"
                    : "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?")) {
      if (error == null) {
        s.setLong(1, id);
      } else {
        s.setString(1, error);
        s.setLong(2, id);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update mail " + id + ": " + e.getMessage(), e);
    }
  }

  /** The newest messages first. */
  @Transactional
  public List<Mail> recent(int offset, int limit) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT id, recipient, subject, body, request_id, created, sent_at, attempts,"
                    + " last_error FROM mail_outbox ORDER BY id DESC OFFSET ?1 LIMIT ?2")
            .setParameter(1, offset)
            .setParameter(2, limit)
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Mail(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    r[4] == null ? null : ((Number) r[4]).longValue(),
                    SqlValues.utc(r[5]),
                    SqlValues.utc(r[6]),
                    ((Number) r[7]).intValue(),
                    (String) r[8]))
        .toList();
  }

  @Transactional
  public long count() {
    return ((Number) em.createNativeQuery("SELECT count(*) FROM mail_outbox").getSingleResult())
        .longValue();
  }
}
