package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.RequestState;

/** Lists of requests, filtered, sorted and paged in the database (for the API and lazy tables). */
@ApplicationScoped
@Transactional
public class RequestQueries {

  /** Sort keys, mapped to their JPQL paths. */
  static final Map<String, String> SORTS =
      Map.of(
          "id", "r.id",
          "created", "r.created",
          "updated", "r.updated",
          "name", "r.name",
          "owner", "r.owner",
          "state", "r.state",
          "leaseEnds", "r.leaseEnds");

  /**
   * @param owner only this person's requests; null for everyone's
   * @param states only these states; empty for all
   * @param q matches name, owner, ledger host, template or purpose, or is the IPv4, IPv6 or MAC
   *     address of the request
   */
  public record Filter(
      String owner, Set<RequestState> states, String q, String sort, boolean descending) {

    public static final Filter ALL = new Filter(null, Set.of(), null, "id", true);

    public Filter {
      states = states == null ? Set.of() : Set.copyOf(states);
      q = q == null || q.isBlank() ? null : q.strip();
      sort = sort == null ? "id" : sort;
      if (!SORTS.containsKey(sort)) {
        throw new IllegalArgumentException(
            "must be one of " + String.join(", ", new java.util.TreeSet<>(SORTS.keySet())));
      }
    }

    public Filter ownedBy(String username) {
      return new Filter(username, states, q, sort, descending);
    }

    public Filter inStates(Set<RequestState> only) {
      return new Filter(owner, only, q, sort, descending);
    }
  }

  public record Page(long total, List<RequestView> requests) {}

  public Page page(Filter filter, int offset, int limit) {
    Map<String, Object> params = new HashMap<>();
    String where = where(filter, params);
    TypedQuery<Long> count =
        em.createQuery("SELECT count(r) FROM GuestRequest r" + where, Long.class);
    params.forEach(count::setParameter);
    TypedQuery<GuestRequest> select =
        em.createQuery(
            "SELECT r FROM GuestRequest r"
                + where
                + " ORDER BY "
                + SORTS.get(filter.sort())
                + (filter.descending() ? " DESC" : " ASC")
                + ", r.id DESC",
            GuestRequest.class);
    params.forEach(select::setParameter);
    List<RequestView> rows =
        select
            .setFirstResult(offset)
            .setMaxResults(limit)
            .getResultStream()
            .map(r -> RequestView.of(r, false))
            .toList();
    return new Page(count.getSingleResult(), rows);
  }

  /** How many requests wait for an admin. */
  public long waiting() {
    return em.createQuery("SELECT count(r) FROM GuestRequest r WHERE r.state = :s", Long.class)
        .setParameter("s", RequestState.SUBMITTED)
        .getSingleResult();
  }

  @PersistenceContext EntityManager em;

  private static String where(Filter f, Map<String, Object> params) {
    StringBuilder w = new StringBuilder(" WHERE 1 = 1");
    if (f.owner() != null) {
      w.append(" AND r.owner = :owner");
      params.put("owner", f.owner());
    }
    if (!f.states().isEmpty()) {
      w.append(" AND r.state IN :states");
      params.put("states", List.copyOf(f.states()));
    }
    if (f.q() != null) {
      w.append(
          " AND (lower(r.name) LIKE :q OR lower(r.owner) LIKE :q OR lower(r.ledgerHost) LIKE :q"
              + " OR lower(r.template.name) LIKE :q OR lower(r.purpose) LIKE :q");
      // An address typed whole finds the request that has it, however it is written.
      addressOf(f.q(), Ipv4Address::parse)
          .ifPresent(
              a -> {
                w.append(" OR r.ipv4 = :ipv4");
                params.put("ipv4", a);
              });
      addressOf(f.q(), Ipv6Address::parse)
          .ifPresent(
              a -> {
                w.append(" OR r.ipv6 = :ipv6");
                params.put("ipv6", a);
              });
      addressOf(f.q(), MacAddress::of)
          .ifPresent(
              a -> {
                w.append(" OR r.mac = :mac");
                params.put("mac", a);
              });
      w.append(")");
      params.put(
          "q",
          "%"
              + f.q()
                  .toLowerCase(Locale.ROOT)
                  .replace("\\", "\\\\")
                  .replace("%", "\\%")
                  .replace("_", "\\_")
              + "%");
    }
    return w.toString();
  }

  private static <T> java.util.Optional<T> addressOf(
      String text, java.util.function.Function<String, T> parse) {
    try {
      return java.util.Optional.of(parse.apply(text));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }
}
