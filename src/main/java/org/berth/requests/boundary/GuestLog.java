package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.berth.platform.database.SqlValues;
import org.berth.platform.jobs.Jobs;

/**
 * A request's guest log: what Berth did to its guest, step by step, as the request page and {@code
 * /api/requests/{id}/guest} show it to the owner. Every feature that acts on a guest (provisioning,
 * the reverse proxy's routes) writes through here; each line names the instance that wrote it.
 * Details are for the owner: they never carry another guest's name or a credential.
 */
@ApplicationScoped
public class GuestLog {

  /** Longer details are cut: the log is for people. */
  static final int MAX_DETAIL = 2000;

  /** What a log line says about its step. */
  public enum Outcome {
    STARTED,
    DONE,
    RETRY,
    FAILED,
    NOTE
  }

  /** One line of a request's guest log. */
  public record Line(Instant at, String step, Outcome outcome, String detail, String instance) {}

  @PersistenceContext EntityManager em;
  @Inject Jobs jobs;

  Clock clock = Clock.systemUTC();

  /** Adds a line in its own transaction: it stays whatever becomes of the caller's. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void log(long id, String step, Outcome outcome, String detail) {
    append(id, step, outcome, detail);
  }

  /** Adds a line in the caller's transaction: it stands or falls with the change it records. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void append(long id, String step, Outcome outcome, String detail) {
    em.createNativeQuery(
            "INSERT INTO guest_log (request_id, at, step, outcome, detail, instance)"
                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .setParameter(1, id)
        .setParameter(2, SqlValues.utc(clock.instant()))
        .setParameter(3, step)
        .setParameter(4, outcome.name())
        .setParameter(5, detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail)
        .setParameter(6, jobs.instance())
        .executeUpdate();
  }

  /** The request's log, oldest line first. */
  public List<Line> lines(long id) {
    return em
        .createNativeQuery(
            "SELECT at, step, outcome, detail, instance FROM guest_log WHERE request_id = ?1"
                + " ORDER BY id")
        .setParameter(1, id)
        .getResultList()
        .stream()
        .map(
            o -> {
              Object[] row = (Object[]) o;
              return new Line(
                  SqlValues.instant(row[0]),
                  (String) row[1],
                  Outcome.valueOf((String) row[2]),
                  (String) row[3],
                  (String) row[4]);
            })
        .toList();
  }
}
