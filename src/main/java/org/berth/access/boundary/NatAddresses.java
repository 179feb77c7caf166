package org.berth.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.berth.access.control.NatNetwork;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;
import org.berth.requests.boundary.NatAddressing;
import org.berth.requests.entity.NetworkMode;

/**
 * Hands out the addresses and MACs of NAT guests on the internal network, for approval to record on
 * the request (see {@link NatAddressing}). Each choice holds an advisory lock for the approving
 * transaction, so instances sharing the database hand out addresses one at a time; the database's
 * unique indexes on live NAT addresses and MACs hold even without it. An address is free again once
 * its request is over, and the one released longest ago is handed out first.
 */
@ApplicationScoped
public class NatAddresses implements NatAddressing {

  /** The advisory lock that serialises address assignment across Berth instances. */
  private static final long ASSIGNMENT_LOCK = 0x42455254_4e415441L;

  @PersistenceContext EntityManager em;
  @Inject NatNetwork network;

  @Override
  @Transactional(Transactional.TxType.MANDATORY)
  public Optional<Lease> next() {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
        .setParameter(1, ASSIGNMENT_LOCK)
        .getSingleResult();
    Set<Ipv4Address> taken = new HashSet<>();
    Set<MacAddress> takenMacs = new HashSet<>();
    Map<Ipv4Address, Instant> lastReleased = new HashMap<>();
    // Every NAT address ever assigned, in one read: live ones are taken, ended ones are ranked
    // by their latest release.
    List<Object[]> assigned =
        em.createQuery(
                "SELECT r.ipv4, r.mac, r.addressReleasedAt FROM GuestRequest r"
                    + " WHERE r.networkMode = :nat AND r.ipv4 IS NOT NULL",
                Object[].class)
            .setParameter("nat", NetworkMode.NAT)
            .getResultList();
    for (Object[] row : assigned) {
      Ipv4Address ipv4 = (Ipv4Address) row[0];
      if (row[2] == null) {
        taken.add(ipv4);
        takenMacs.add((MacAddress) row[1]);
      } else {
        lastReleased.merge(ipv4, (Instant) row[2], (x, y) -> x.isAfter(y) ? x : y);
      }
    }
    return network.choose(taken, takenMacs, lastReleased).map(a -> new Lease(a.ipv4(), a.mac()));
  }

  @Override
  public String network() {
    return network.cidrText();
  }
}
