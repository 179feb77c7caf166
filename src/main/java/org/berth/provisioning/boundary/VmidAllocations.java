package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.platform.database.SqlValues;

/**
 * The VMIDs Berth has given its requests, within {@code berth.proxmox.vmid-min/vmid-max}: at most
 * one per request, never one twice. Callers hold the placement lock of {@link ProvisioningStore}.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class VmidAllocations {

  @PersistenceContext EntityManager em;
  @Inject ProvisioningSettings settings;

  Clock clock = Clock.systemUTC();

  /**
   * Gives request {@code id} the lowest VMID in the range that Berth has not given out and that is
   * not in {@code inUse} (the cluster's), in place of any it had.
   *
   * @throws HypervisorFailure (permanent) when every VMID in the range is taken
   */
  int allocate(long id, Set<Integer> inUse) {
    // One pass over Berth's allocations, which are few, in order.
    Set<Integer> taken = new HashSet<>(inUse);
    em.createNativeQuery("SELECT vmid FROM vmid_allocation WHERE vmid BETWEEN ?1 AND ?2")
        .setParameter(1, settings.vmidMin())
        .setParameter(2, settings.vmidMax())
        .getResultList()
        .forEach(v -> taken.add(((Number) v).intValue()));
    Integer vmid = null;
    for (int c = settings.vmidMin(); c <= settings.vmidMax(); c++) {
      if (!taken.contains(c)) {
        vmid = c;
        break;
      }
    }
    if (vmid == null) {
      throw new HypervisorFailure(
          "every VMID from "
              + settings.vmidMin()
              + " to "
              + settings.vmidMax()
              + " is in use; an admin must widen berth.proxmox.vmid-min/vmid-max",
          false);
    }
    em.createNativeQuery(
            "INSERT INTO vmid_allocation (vmid, request_id, allocated) VALUES (?1, ?2, ?3)"
                + " ON CONFLICT (request_id) DO UPDATE SET vmid = EXCLUDED.vmid,"
                + " allocated = EXCLUDED.allocated")
        .setParameter(1, vmid)
        .setParameter(2, id)
        .setParameter(3, SqlValues.utc(clock.instant()))
        .executeUpdate();
    return vmid;
  }

  /** Gives request {@code id}'s VMID up, if it has one. */
  void free(long id) {
    em.createNativeQuery("DELETE FROM vmid_allocation WHERE request_id = ?1")
        .setParameter(1, id)
        .executeUpdate();
  }
}
