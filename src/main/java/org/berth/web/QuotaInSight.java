package org.berth.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.berth.identity.CurrentUser;
import org.berth.requests.boundary.Quotas;
import org.berth.requests.control.QuotaLimits;

/**
 * A person's quota as pages show it ({@code #{quota}}): what they hold against each limit, as
 * meters and as one line ("2 of 3 guests, 6 of 8 cores, 12 of 16 GiB memory, 80 of 200 GiB disk").
 */
@Named("quota")
@RequestScoped
public class QuotaInSight {

  /** One limit: its words ("6 of 8 cores"), how full it is, and its colour. */
  public record Meter(String id, String text, int percent, String severity) {}

  @Inject Quotas quotas;
  @Inject CurrentUser currentUser;

  private final Map<String, Quotas.Standing> standings = new HashMap<>();

  /** The signed-in person's standing. */
  public Quotas.Standing getMine() {
    return currentUser.account().map(a -> of(a.username())).orElse(null);
  }

  /** Someone's standing, read once per page. */
  public Quotas.Standing of(String username) {
    return standings.computeIfAbsent(username, quotas::standing);
  }

  public List<Meter> meters(Quotas.Standing standing) {
    QuotaLimits used = standing.used();
    QuotaLimits limits = standing.limits();
    return List.of(
        meter(
            "guests",
            Messages.text("quota.guests", used.guests(), limits.guests()),
            used.guests(),
            limits.guests()),
        meter(
            "cores",
            Messages.text("quota.cores", used.cores(), limits.cores()),
            used.cores(),
            limits.cores()),
        meter(
            "memory",
            Messages.text("quota.memory", gib(used.memoryMib()), gib(limits.memoryMib())),
            used.memoryMib(),
            limits.memoryMib()),
        meter(
            "disk",
            Messages.text("quota.disk", used.diskGib(), limits.diskGib()),
            used.diskGib(),
            limits.diskGib()));
  }

  /** The standing in one line, as the pages and mails say it. */
  public String line(Quotas.Standing standing) {
    return meters(standing).stream().map(Meter::text).collect(Collectors.joining(", "));
  }

  /** Whether nothing more fits: one limit is reached. */
  public boolean full(Quotas.Standing standing) {
    QuotaLimits used = standing.used();
    QuotaLimits limits = standing.limits();
    return used.guests() >= limits.guests()
        || used.cores() >= limits.cores()
        || used.memoryMib() >= limits.memoryMib()
        || used.diskGib() >= limits.diskGib();
  }

  private static Meter meter(String id, String text, long used, long limit) {
    int percent = limit == 0 ? 100 : (int) Math.min(100, Math.round(used * 100.0 / limit));
    String severity = percent >= 100 ? "danger" : percent >= 75 ? "warning" : "info";
    return new Meter(id, text, percent, severity);
  }

  /** MiB as GiB, whole where it is whole ("16"), else with one decimal ("1.5"). */
  static String gib(int mib) {
    if (mib % 1024 == 0) {
      return Integer.toString(mib / 1024);
    }
    return String.format(java.util.Locale.ROOT, "%.1f", mib / 1024.0);
  }
}
