package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.Writer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audit trail across all requests, for admins: every change of every request (who, when, from
 * which state to which, and why), and the lines that change nothing ("opened the console"), newest
 * first, filtered by who, by words in what happened, and by time.
 */
@ApplicationScoped
@Transactional
public class AuditTrail {

  /** The most lines one CSV export holds; a wider export is cut there and says so. */
  public static final int CSV_LIMIT = 100_000;

  private static final DateTimeFormatter CSV_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @PersistenceContext EntityManager em;

  /**
   * What to show.
   *
   * @param actor the person (or {@code berth}) who acted, exactly; null for everyone
   * @param words words in what happened (states and reason), any case; null for all
   * @param from the earliest time, or null
   * @param to the latest time (exclusive), or null
   */
  public record Filter(String actor, String words, Instant from, Instant to) {
    public Filter {
      actor = actor == null || actor.isBlank() ? null : actor.strip();
      words = words == null || words.isBlank() ? null : words.strip();
    }

    /**
     * A filter from days as people type them ({@code 2026-12-04}, UTC), both included.
     *
     * @throws java.time.format.DateTimeParseException for a day that is none
     */
    public static Filter ofDays(String actor, String words, String from, String to) {
      return new Filter(actor, words, day(from, 0), day(to, 1));
    }

    /**
     * The start of a day in UTC, {@code plusDays} later; null without a date.
     *
     * @throws java.time.format.DateTimeParseException for a day that is none, or one outside the
     *     years 1 to 9999 (ISO dates may carry a sign and nine digits of year, whose next day does
     *     not exist)
     */
    public static Instant day(String text, int plusDays) {
      if (text == null || text.isBlank()) {
        return null;
      }
      java.time.LocalDate day = java.time.LocalDate.parse(text.strip());
      if (day.getYear() < 1 || day.getYear() > 9999) {
        throw new java.time.format.DateTimeParseException(
            "a day must be in the years 1 to 9999", text, 0);
      }
      return day.plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  /** One line of the trail. */
  public record Line(
      Instant at,
      long requestId,
      String request,
      String owner,
      String actor,
      String from,
      String to,
      String reason) {

    /** What happened, in words: the change of state, then why; or only why, when none. */
    public String what() {
      String change =
          from == null
              ? to.toLowerCase(Locale.ROOT)
              : from.equals(to)
                  ? null
                  : from.toLowerCase(Locale.ROOT) + " → " + to.toLowerCase(Locale.ROOT);
      if (change == null) {
        return reason == null ? "" : reason;
      }
      return reason == null ? change : change + ": " + reason;
    }
  }

  /** One page of lines and how many match in all. */
  public record Page(long total, List<Line> lines) {}

  public Page page(Filter f, int offset, int limit) {
    Map<String, Object> params = new LinkedHashMap<>();
    String where = where(f, params);
    Query count =
        em.createNativeQuery(
            "SELECT count(*) FROM request_event e JOIN guest_request r ON r.id = e.request_id"
                + where);
    params.forEach(count::setParameter);
    long total = ((Number) count.getSingleResult()).longValue();
    return new Page(total, lines(where, params, offset, limit));
  }

  /**
   * Writes the matching lines as CSV (RFC 4180, a header line first), at most {@link #CSV_LIMIT}. A
   * value a spreadsheet would read as a formula is prefixed with {@code '}.
   */
  public void csv(Filter f, Writer out) throws IOException {
    Map<String, Object> params = new LinkedHashMap<>();
    String where = where(f, params);
    out.write("time,request,name,owner,actor,from,to,reason\r\n");
    int written = 0;
    int batch = 1000;
    while (written < CSV_LIMIT) {
      List<Line> lines = lines(where, params, written, Math.min(batch, CSV_LIMIT - written));
      for (Line l : lines) {
        out.write(
            String.join(
                    ",",
                    cell(CSV_TIME.format(l.at())),
                    cell(Long.toString(l.requestId())),
                    cell(l.request()),
                    cell(l.owner()),
                    cell(l.actor()),
                    cell(l.from()),
                    cell(l.to()),
                    cell(l.reason()))
                + "\r\n");
      }
      written += lines.size();
      if (lines.size() < batch) {
        return;
      }
    }
    out.write(cell("cut at " + CSV_LIMIT + " lines: narrow the filter") + ",,,,,,,\r\n");
  }

  /** The people who have acted, for the filter's choices. */
  @SuppressWarnings("unchecked")
  public List<String> actors() {
    return em.createNativeQuery(
            "SELECT DISTINCT actor FROM request_event ORDER BY actor LIMIT 1000")
        .getResultList();
  }

  @SuppressWarnings("unchecked")
  private List<Line> lines(String where, Map<String, Object> params, int offset, int limit) {
    Query q =
        em.createNativeQuery(
            "SELECT e.at, r.id, r.name, r.owner, e.actor, e.from_state, e.to_state, e.reason"
                + " FROM request_event e JOIN guest_request r ON r.id = e.request_id"
                + where
                + " ORDER BY e.at DESC, e.id DESC");
    params.forEach(q::setParameter);
    q.setFirstResult(Math.max(0, offset));
    q.setMaxResults(Math.max(1, Math.min(limit, 1000)));
    List<Line> out = new ArrayList<>();
    for (Object[] row : (List<Object[]>) q.getResultList()) {
      out.add(
          new Line(
              instant(row[0]),
              ((Number) row[1]).longValue(),
              (String) row[2],
              (String) row[3],
              (String) row[4],
              (String) row[5],
              (String) row[6],
              (String) row[7]));
    }
    return out;
  }

  private static String where(Filter f, Map<String, Object> params) {
    StringBuilder w = new StringBuilder(" WHERE true");
    if (f.actor() != null) {
      w.append(" AND e.actor = :actor");
      params.put("actor", f.actor());
    }
    if (f.words() != null) {
      w.append(
          " AND (lower(coalesce(e.reason, '')) LIKE :words OR lower(e.to_state) LIKE :words"
              + " OR lower(r.name) LIKE :words)");
      params.put(
          "words",
          "%"
              + f.words()
                  .toLowerCase(Locale.ROOT)
                  .replace("\\", "\\\\")
                  .replace("%", "\\%")
                  .replace("_", "\\_")
              + "%");
    }
    if (f.from() != null) {
      w.append(" AND e.at >= :from");
      params.put("from", Timestamp.from(f.from()));
    }
    if (f.to() != null) {
      w.append(" AND e.at < :to");
      params.put("to", Timestamp.from(f.to()));
    }
    return w.toString();
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    return ((Timestamp) value).toInstant();
  }

  /** One CSV field: quoted, quotes doubled, and a leading =, +, - or @ made harmless. */
  static String cell(String value) {
    if (value == null) {
      return "";
    }
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }
}
