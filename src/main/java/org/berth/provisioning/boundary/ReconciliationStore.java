package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.berth.platform.value.GuestPlace;
import org.berth.provisioning.entity.ReconciliationFinding;
import org.berth.provisioning.entity.ReconciliationFinding.Kind;
import org.berth.provisioning.entity.ReconciliationRun;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.RequestState;

/** The database half of reconciliation: what Berth records, and what the last run found. */
@ApplicationScoped
@Transactional
public class ReconciliationStore {

  @PersistenceContext EntityManager em;

  Clock clock = Clock.systemUTC();

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
    return em.createQuery(
            "SELECT r FROM GuestRequest r WHERE r.guestVmid IS NOT NULL AND r.state IN :states",
            GuestRequest.class)
        .setParameter(
            "states",
            List.of(
                RequestState.PROVISIONING,
                RequestState.READY,
                RequestState.EXPIRED,
                RequestState.FAILED,
                RequestState.DELETING))
        .getResultStream()
        .map(
            r ->
                new OnRecord(
                    r.id(),
                    r.owner(),
                    r.name(),
                    r.state(),
                    r.guestPlace().node(),
                    r.guestPlace().vmid()))
        .toList();
  }

  public void replace(List<Finding> findings, int guests) {
    Instant now = clock.instant();
    em.createQuery("DELETE FROM ReconciliationFinding").executeUpdate();
    for (Finding f : findings) {
      em.persist(
          new ReconciliationFinding(
              f.kind(), f.requestId(), new GuestPlace(f.node(), f.vmid()), f.detail(), now));
    }
    run(ReconciliationRun.completed(now, guests, findings.size()));
  }

  /** The cluster could not be read: the findings stay as they were, the run records why. */
  public void recordFailedRun(String error) {
    run(ReconciliationRun.failed(clock.instant(), error));
  }

  /** Records a run, keeping the newest hundred. */
  private void run(ReconciliationRun run) {
    em.persist(run);
    em.flush();
    em.createNativeQuery(
            "DELETE FROM reconciliation_run WHERE id <= (SELECT max(id) - 100 FROM reconciliation_run)")
        .executeUpdate();
  }

  public Report report() {
    List<Finding> findings =
        em.createQuery(
                "SELECT f FROM ReconciliationFinding f ORDER BY f.id", ReconciliationFinding.class)
            .getResultStream()
            .map(ReconciliationStore::finding)
            .toList();
    return em.createQuery(
            "SELECT r FROM ReconciliationRun r ORDER BY r.id DESC", ReconciliationRun.class)
        .setMaxResults(1)
        .getResultStream()
        .findFirst()
        .map(r -> new Report(r.at(), r.guests(), r.error(), findings))
        .orElse(new Report(null, 0, null, findings));
  }

  public Optional<Finding> finding(long id) {
    return Optional.ofNullable(em.find(ReconciliationFinding.class, id))
        .map(ReconciliationStore::finding);
  }

  public void remove(long id) {
    ReconciliationFinding f = em.find(ReconciliationFinding.class, id);
    if (f != null) {
      em.remove(f);
    }
  }

  private static Finding finding(ReconciliationFinding f) {
    return new Finding(f.id(), f.kind(), f.requestId(), f.node(), f.vmid(), f.detail(), f.found());
  }
}
