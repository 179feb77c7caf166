package org.berth.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.berth.access.proxy.Route;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestState;

/**
 * Which routes the reverse proxy should serve, read from the requests: one per READY NAT guest that
 * exposes an HTTP port and has its internal address.
 */
@ApplicationScoped
@Transactional
public class RouteStore {

  private static final String WANTED =
      "SELECT r FROM GuestRequest r WHERE r.state = :ready AND r.networkMode = :nat"
          + " AND r.httpPort IS NOT NULL AND r.ipv4 IS NOT NULL";

  @PersistenceContext EntityManager em;
  @Inject AccessSettings settings;

  /** The route the request's guest should have now; empty if it should have none. */
  public Optional<Route> wanted(long requestId) {
    return routes(
            em.createQuery(WANTED + " AND r.id = :id", GuestRequest.class)
                .setParameter("id", requestId))
        .values()
        .stream()
        .findFirst();
  }

  /** Every route the proxy should serve, by request id. */
  public Map<Long, Route> allWanted() {
    return routes(em.createQuery(WANTED + " ORDER BY r.id", GuestRequest.class));
  }

  /** Whether a request's guest can ever have a route (a NAT guest with an HTTP port). */
  public boolean mayHaveRoute(long requestId) {
    return em.createQuery(
                "SELECT count(r) FROM GuestRequest r WHERE r.id = :id AND r.networkMode = :nat"
                    + " AND r.httpPort IS NOT NULL",
                Long.class)
            .setParameter("id", requestId)
            .setParameter("nat", NetworkMode.NAT)
            .getSingleResult()
        > 0;
  }

  private Map<Long, Route> routes(TypedQuery<GuestRequest> query) {
    Map<Long, Route> routes = new LinkedHashMap<>();
    query
        .setParameter("ready", RequestState.READY)
        .setParameter("nat", NetworkMode.NAT)
        .getResultStream()
        .forEach(
            r ->
                routes.put(
                    r.id(),
                    new Route(
                        r.id(),
                        r.name() + "." + settings.proxyDomain(),
                        r.ipv4().toString(),
                        r.httpPort())));
    return routes;
  }
}
