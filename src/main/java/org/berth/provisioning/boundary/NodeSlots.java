package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.berth.provisioning.entity.Provisioning;

/**
 * The slots of guests being created, per node, across all Berth instances: a request holds one from
 * placement until its guest runs or provisioning stops, so that no node creates more than {@code
 * berth.provisioning.node-concurrency} guests at once.
 */
@ApplicationScoped
@Transactional
public class NodeSlots {

  /** The guests being created on one node: how many, and the memory they will take. */
  public record Load(int creating, long reservedMib) {}

  @PersistenceContext EntityManager em;

  Clock clock = Clock.systemUTC();

  /** Per node, the guests being created there, other than request {@code except}'s. */
  Map<String, Load> creating(long except) {
    Map<String, Load> load = new HashMap<>();
    em.createNativeQuery(
            "SELECT g.guest_node, sum(g.memory_mib), count(*) FROM provisioning p"
                + " JOIN guest_request g ON g.id = p.request_id"
                + " WHERE p.holds_slot AND p.request_id <> ?1 GROUP BY g.guest_node")
        .setParameter(1, except)
        .getResultList()
        .forEach(
            o -> {
              Object[] row = (Object[]) o;
              load.put(
                  (String) row[0],
                  new Load(((Number) row[2]).intValue(), ((Number) row[1]).longValue()));
            });
    return load;
  }

  /** Per node: how many guests are being created now. */
  public Map<String, Integer> busy() {
    Map<String, Integer> busy = new HashMap<>();
    creating(-1).forEach((node, load) -> busy.put(node, load.creating()));
    return busy;
  }

  /** Frees request {@code id}'s slot (its guest runs, or it stopped being provisioned). */
  public void release(long id) {
    Provisioning p = em.find(Provisioning.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (p != null) {
      p.releaseSlot(clock.instant());
    }
  }
}
