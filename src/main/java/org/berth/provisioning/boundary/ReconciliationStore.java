package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.berth.platform.database.SqlValues;
import org.berth.requests.entity.RequestState;

/** The database half of reconciliation: what Berth records, and what the last run found. */
@ApplicationScoped
@Transactional
public class ReconciliationStore {

  @PersistenceContext EntityManager em;

  Clock clock = Clock.systemUTC();

  /** What a difference is about. */
  public enum Kind {
    MISSING,
    UNKNOWN,
    MOVED,
    STILL_RUNNING
  }

  /** One difference between Berth's records and the cluster. */
  public record Finding(
      long id, Kind kind, Long requestId, String node, Integer vmid, String detail, Instant found) {

    public String kindLabel() {
      return kind.name().charAt(0) + kind.name().substring(1).toLowerCase().replace('_', ' ');
    }
  }

  /** A request that has (or had) a guest on the cluster. */
  public record OnRecord(
      long id, String owner, String name, RequestState state, String node, int vmid) {}

  /** The last run and its findings. */
  public record Report(Instant at, int guests, String error, List<Finding> findings) {}

  /** Requests that account for a guest: every state in which one may exist. */
  public List<OnRecord> onRecord() {
    return em
        .createNativeQuery(
            "SELECT id, owner, name, state, guest_node, guest_ref FROM guest_request"
                + " WHERE guest_ref IS NOT NULL AND state IN"
                + " ('PROVISIONING', 'READY', 'EXPIRED', 'FAILED', 'DELETING')")
        .getResultList()
        .stream()
        .map(
            o -> {
              Object[] row = (Object[]) o;
              return new OnRecord(
                  ((Number) row[0]).longValue(),
                  (String) row[1],
                  (String) row[2],
                  RequestState.valueOf((String) row[3]),
                  (String) row[4],
                  Integer.parseInt((String) row[5]));
            })
        .toList();
  }

  public void replace(List<Finding> findings, int guests) {
    Instant now = clock.instant();
    em.createNativeQuery("DELETE FROM reconciliation_finding").executeUpdate();
    for (Finding f : findings) {
      em.createNativeQuery(
              "INSERT INTO reconciliation_finding (kind, request_id, node, vmid, detail, found)"
                  + " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
          .setParameter(1, f.kind().name())
          .setParameter(2, f.requestId())
          .setParameter(3, f.node())
          .setParameter(4, f.vmid())
          .setParameter(5, f.detail())
          .setParameter(6, SqlValues.utc(now))
          .executeUpdate();
    }
    run(now, guests, findings.size(), null);
  }

  /** The cluster could not be read: the findings stay as they were, the run records why. */
  public void recordFailedRun(String error) {
    run(clock.instant(), 0, -1, error);
  }

  private void run(Instant at, int guests, int findings, String error) {
    em.createNativeQuery(
            "INSERT INTO reconciliation_run (at, guests, findings, error) VALUES (?1, ?2, ?3, ?4)")
        .setParameter(1, SqlValues.utc(at))
        .setParameter(2, guests)
        .setParameter(3, Math.max(findings, 0))
        .setParameter(4, error)
        .executeUpdate();
    em.createNativeQuery(
            "DELETE FROM reconciliation_run WHERE id < (SELECT max(id) - 100 FROM reconciliation_run)")
        .executeUpdate();
  }

  public Report report() {
    List<?> last =
        em.createNativeQuery(
                "SELECT at, guests, error FROM reconciliation_run ORDER BY id DESC LIMIT 1")
            .getResultList();
    List<Finding> findings =
        em
            .createNativeQuery(
                "SELECT id, kind, request_id, node, vmid, detail, found FROM reconciliation_finding"
                    + " ORDER BY id")
            .getResultList()
            .stream()
            .map(o -> finding((Object[]) o))
            .toList();
    if (last.isEmpty()) {
      return new Report(null, 0, null, findings);
    }
    Object[] row = (Object[]) last.get(0);
    return new Report(
        SqlValues.instant(row[0]), ((Number) row[1]).intValue(), (String) row[2], findings);
  }

  public Optional<Finding> finding(long id) {
    return em
        .createNativeQuery(
            "SELECT id, kind, request_id, node, vmid, detail, found FROM reconciliation_finding"
                + " WHERE id = ?1")
        .setParameter(1, id)
        .getResultList()
        .stream()
        .findFirst()
        .map(o -> finding((Object[]) o));
  }

  public void remove(long id) {
    em.createNativeQuery("DELETE FROM reconciliation_finding WHERE id = ?1")
        .setParameter(1, id)
        .executeUpdate();
  }

  private static Finding finding(Object[] row) {
    return new Finding(
        ((Number) row[0]).longValue(),
        Kind.valueOf((String) row[1]),
        row[2] == null ? null : ((Number) row[2]).longValue(),
        (String) row[3],
        row[4] == null ? null : ((Number) row[4]).intValue(),
        (String) row[5],
        SqlValues.instant(row[6]));
  }
}
