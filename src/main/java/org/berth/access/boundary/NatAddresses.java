package org.berth.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.berth.access.control.NatNetwork;
import org.berth.access.control.NatNetwork.Assignment;
import org.berth.platform.database.SqlValues;
import org.berth.requests.boundary.RequestChanged;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestState;

/**
 * Gives each approved NAT request its address and MAC on the internal network, in the transaction
 * that approves it: a network with no free address refuses the approval, and nothing is created.
 * Assignment holds an advisory lock, so instances sharing the database hand out addresses one at a
 * time; the database's unique indexes on live NAT addresses and MACs hold even without it. The
 * address is free again once the request is over (see {@link GuestRequest}).
 */
@ApplicationScoped
public class NatAddresses {

  private static final Logger LOG = Logger.getLogger(NatAddresses.class.getName());

  /** The advisory lock that serialises address assignment across Berth instances. */
  private static final long ASSIGNMENT_LOCK = 0x42455254_4e415441L;

  @PersistenceContext EntityManager em;
  @Inject NatNetwork network;

  Clock clock = Clock.systemUTC();

  /** Assigns an address when a NAT request is approved (also when a failed one is retried). */
  void onChange(@Observes RequestChanged change) {
    if (change.state() == RequestState.APPROVED) {
      assign(change.id());
    }
  }

  /**
   * Gives the request an address unless it has one or is not a NAT request, in the caller's (the
   * approving) transaction.
   *
   * @throws NatAddressFull if every address is held
   */
  private void assign(long requestId) {
    GuestRequest r = em.find(GuestRequest.class, requestId);
    if (r == null || r.networkMode() != NetworkMode.NAT || r.ipv4() != null) {
      return;
    }
    em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
        .setParameter(1, ASSIGNMENT_LOCK)
        .getSingleResult();
    Set<String> taken = new HashSet<>();
    Set<String> takenMacs = new HashSet<>();
    Map<String, Instant> lastReleased = new HashMap<>();
    // Every NAT address ever assigned, in one read: live ones are taken, ended ones are ranked
    // by their latest release.
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT ipv4, upper(mac), address_released_at FROM guest_request"
                    + " WHERE network_mode = 'NAT' AND ipv4 IS NOT NULL")
            .getResultList();
    for (Object[] row : rows) {
      if (row[2] == null) {
        taken.add((String) row[0]);
        takenMacs.add((String) row[1]);
      } else {
        lastReleased.merge(
            (String) row[0], SqlValues.instant(row[2]), (x, y) -> x.isAfter(y) ? x : y);
      }
    }
    Assignment a =
        network
            .choose(taken, takenMacs, lastReleased)
            .orElseThrow(() -> new NatAddressFull(network.cidrText()));
    r.assignNatAddress(a.ipv4(), a.mac(), clock.instant());
    em.flush();
    LOG.info(() -> "Request " + requestId + " has NAT address " + a.ipv4() + " (" + a.mac() + ")");
  }
}
