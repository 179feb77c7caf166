package org.berth.ledger.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.berth.platform.database.SqlValues;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;

/** Reading the ledger's index: pages of entries, one entry with its history, the ledger's state. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class LedgerQueries {

  /** An entry as pages and the API show it. */
  public record Entry(
      String host,
      String state,
      Ipv4Address ipv4,
      Ipv6Address ipv6,
      MacAddress mac,
      String holder,
      String claimedOn,
      String file) {}

  /** A commit that changed an entry. */
  public record Change(
      String commit, String author, String authorEmail, Instant time, String message) {

    public String shortCommit() {
      return commit.substring(0, Math.min(12, commit.length()));
    }

    public String subject() {
      return message.lines().findFirst().orElse("");
    }

    /** When, for pages: {@code 2026-11-21 09:30 UTC}. */
    public String when() {
      return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
          .withZone(java.time.ZoneOffset.UTC)
          .format(time);
    }
  }

  /**
   * What to list. Every field is optional; text fields match anywhere, without regard to case.
   *
   * @param state {@code free} or {@code taken}
   * @param q matches host, IPv4, IPv6, MAC or holder
   */
  public record Filter(String state, String q, String host, String ip, String mac, String holder) {

    public static final Filter ALL = new Filter(null, null, null, null, null, null);

    public Filter {
      if (state != null && !state.isBlank() && !state.equals("free") && !state.equals("taken")) {
        throw new IllegalArgumentException("must be free or taken");
      }
    }
  }

  /** One page of entries and the number that match in all. */
  public record Page(long total, List<Entry> entries) {}

  /** Where the ledger stands. */
  public record State(
      String indexedCommit,
      String headCommit,
      String brokenCommit,
      List<String> problems,
      OffsetDateTime lastSync,
      String lastSyncError,
      long entries,
      long free) {}

  private static final Map<String, String> SORTS =
      Map.of(
          "host", "host",
          "ipv4", "ipv4::inet",
          "ipv6", "ipv6::inet",
          "mac", "mac",
          "holder", "holder",
          "claimedOn", "claimed_on",
          "state", "(holder IS NOT NULL)");

  @PersistenceContext EntityManager em;

  /** How many entries match. */
  public long count(Filter filter) {
    List<Object> params = new ArrayList<>();
    Query count = em.createNativeQuery("SELECT count(*) FROM ledger_entry" + where(filter, params));
    bind(count, params);
    return ((Number) count.getSingleResult()).longValue();
  }

  /** One page of matching entries and how many match in all. */
  public Page page(Filter filter, int offset, int limit, String sort, boolean descending) {
    return new Page(count(filter), entries(filter, offset, limit, sort, descending));
  }

  /** The matching entries from {@code offset}, at most {@code limit} (1000 at the most). */
  public List<Entry> entries(
      Filter filter, int offset, int limit, String sort, boolean descending) {
    List<Object> params = new ArrayList<>();
    String where = where(filter, params);
    String order = SORTS.getOrDefault(sort == null ? "host" : sort, "host");
    Query select =
        em.createNativeQuery(
            "SELECT host, ipv4, ipv6, mac, holder, claimed_on, file FROM ledger_entry"
                + where
                + " ORDER BY "
                + order
                + (descending ? " DESC NULLS LAST" : " ASC NULLS LAST")
                + ", host");
    bind(select, params);
    select.setFirstResult(Math.max(0, offset));
    select.setMaxResults(Math.max(1, Math.min(limit, 1000)));
    List<Entry> entries = new ArrayList<>();
    for (Object row : select.getResultList()) {
      entries.add(entry((Object[]) row));
    }
    return entries;
  }

  public Optional<Entry> entry(String host) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT host, ipv4, ipv6, mac, holder, claimed_on, file FROM ledger_entry WHERE host = ?1")
            .setParameter(1, host.strip().toLowerCase(Locale.ROOT))
            .getResultList();
    return rows.stream().findFirst().map(r -> entry((Object[]) r));
  }

  /** The commits that changed the entry, newest first. */
  public List<Change> history(String host) {
    List<Change> out = new ArrayList<>();
    for (Object row :
        em.createNativeQuery(
                "SELECT commit_id, author_name, author_email, committed_at, message FROM ledger_change"
                    + " WHERE host = ?1 ORDER BY committed_at DESC, seq DESC LIMIT 200")
            .setParameter(1, host.strip().toLowerCase(Locale.ROOT))
            .getResultList()) {
      Object[] r = (Object[]) row;
      out.add(
          new Change(
              (String) r[0], (String) r[1], (String) r[2], SqlValues.instant(r[3]), (String) r[4]));
    }
    return out;
  }

  public State state() {
    Object[] r =
        (Object[])
            em.createNativeQuery(
                    "SELECT indexed_commit, head_commit, broken_commit, array_to_string(problems, E'\\n'),"
                        + " last_sync, last_sync_error,"
                        + " (SELECT count(*) FROM ledger_entry),"
                        + " (SELECT count(*) FROM ledger_entry WHERE holder IS NULL)"
                        + " FROM ledger_state")
                .getSingleResult();
    String problems = (String) r[3];
    Instant sync = r[4] == null ? null : SqlValues.instant(r[4]);
    return new State(
        (String) r[0],
        (String) r[1],
        (String) r[2],
        problems == null || problems.isEmpty() ? List.of() : List.of(problems.split("\n")),
        sync == null ? null : sync.atOffset(java.time.ZoneOffset.UTC),
        (String) r[5],
        ((Number) r[6]).longValue(),
        ((Number) r[7]).longValue());
  }

  private static Entry entry(Object[] r) {
    return new Entry(
        (String) r[0],
        r[4] == null ? "free" : "taken",
        r[1] == null ? null : Ipv4Address.parse((String) r[1]),
        r[2] == null ? null : Ipv6Address.parse((String) r[2]),
        MacAddress.of((String) r[3]),
        (String) r[4],
        (String) r[5],
        (String) r[6]);
  }

  private static String where(Filter f, List<Object> params) {
    List<String> clauses = new ArrayList<>();
    if ("free".equals(f.state())) {
      clauses.add("holder IS NULL");
    } else if ("taken".equals(f.state())) {
      clauses.add("holder IS NOT NULL");
    }
    if (present(f.q())) {
      int n = params.size() + 1;
      clauses.add(
          "(host ILIKE ?%1$d OR ipv4 LIKE ?%1$d OR ipv6 ILIKE ?%1$d OR mac ILIKE ?%2$d OR holder ILIKE ?%1$d)"
              .formatted(n, n + 1));
      params.add(like(f.q()));
      params.add(like(macText(f.q())));
    }
    if (present(f.host())) {
      clauses.add("host ILIKE ?" + (params.size() + 1));
      params.add(like(f.host()));
    }
    if (present(f.ip())) {
      int n = params.size() + 1;
      clauses.add("(ipv4 LIKE ?%1$d OR ipv6 ILIKE ?%1$d)".formatted(n));
      params.add(like(f.ip()));
    }
    if (present(f.mac())) {
      clauses.add("mac ILIKE ?" + (params.size() + 1));
      params.add(like(macText(f.mac())));
    }
    if (present(f.holder())) {
      clauses.add("holder ILIKE ?" + (params.size() + 1));
      params.add(like(f.holder()));
    }
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }

  /** MACs are stored as aa:bb:..; let people type dashes or capitals. */
  private static String macText(String s) {
    return s.strip().toLowerCase(Locale.ROOT).replace('-', ':');
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static String like(String s) {
    return "%" + s.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  private static void bind(Query q, List<Object> params) {
    for (int i = 0; i < params.size(); i++) {
      q.setParameter(i + 1, params.get(i));
    }
  }
}
