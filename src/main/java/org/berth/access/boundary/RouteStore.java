package org.berth.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.berth.access.proxy.Route;

/**
 * Which routes the reverse proxy should serve, read from the requests: one per READY NAT guest that
 * exposes an HTTP port and has its internal address.
 */
@ApplicationScoped
@Transactional
public class RouteStore {

  private static final String WANTED =
      "SELECT id, name, ipv4, http_port FROM guest_request WHERE state = 'READY'"
          + " AND network_mode = 'NAT' AND http_port IS NOT NULL AND ipv4 IS NOT NULL";

  @PersistenceContext EntityManager em;
  @Inject AccessSettings settings;

  /** The route the request's guest should have now; empty if it should have none. */
  public Optional<Route> wanted(long requestId) {
    return query(WANTED + " AND id = ?1", requestId).values().stream().findFirst();
  }

  /** Every route the proxy should serve, by request id. */
  public Map<Long, Route> allWanted() {
    return query(WANTED + " ORDER BY id", null);
  }

  /** Whether a request's guest can ever have a route (a NAT guest with an HTTP port). */
  public boolean mayHaveRoute(long requestId) {
    return !em.createNativeQuery(
            "SELECT 1 FROM guest_request WHERE id = ?1 AND network_mode = 'NAT'"
                + " AND http_port IS NOT NULL")
        .setParameter(1, requestId)
        .getResultList()
        .isEmpty();
  }

  private Map<Long, Route> query(String sql, Long id) {
    var query = em.createNativeQuery(sql);
    if (id != null) {
      query.setParameter(1, id);
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows = query.getResultList();
    Map<Long, Route> routes = new LinkedHashMap<>();
    for (Object[] r : rows) {
      long requestId = ((Number) r[0]).longValue();
      routes.put(
          requestId,
          new Route(
              requestId,
              r[1] + "." + settings.proxyDomain(),
              (String) r[2],
              ((Number) r[3]).intValue()));
    }
    return routes;
  }
}
