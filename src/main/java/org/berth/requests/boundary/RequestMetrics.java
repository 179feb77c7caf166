package org.berth.requests.boundary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.berth.platform.metrics.Sampled;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestState;

/**
 * Requests as figures: how many are in each state now ({@code berth_requests{state}}, from the
 * shared database), and how many were submitted, approved (by an admin or the auto-approve limits)
 * and rejected since this instance started, counted once their transaction has committed.
 */
@ApplicationScoped
public class RequestMetrics {

  @Resource(lookup = "java:app/jdbc/berth")
  DataSource dataSource;

  @Inject MeterRegistry registry;

  private Sampled<Map<RequestState, Long>> byState;
  private final Map<NetworkMode, Counter> submitted = new EnumMap<>(NetworkMode.class);
  private Counter approvedByAdmin;
  private Counter approvedAutomatically;
  private Counter rejected;

  @PostConstruct
  void create() {
    byState = new Sampled<>(Duration.ofSeconds(5), this::read, Map.of());
    for (RequestState state : RequestState.values()) {
      Gauge.builder("berth_requests", this, m -> m.count(state))
          .description("Requests in each state")
          .tag("state", state.name())
          .register(registry);
    }
    for (NetworkMode mode : NetworkMode.values()) {
      submitted.put(
          mode,
          Counter.builder("berth_requests_submitted")
              .description("Requests accepted, by network mode")
              .tag("network", mode.name().toLowerCase(java.util.Locale.ROOT))
              .register(registry));
    }
    approvedByAdmin = approved("admin");
    approvedAutomatically = approved("auto");
    rejected =
        Counter.builder("berth_requests_rejected")
            .description("Requests an admin rejected")
            .register(registry);
  }

  private Counter approved(String by) {
    return Counter.builder("berth_requests_approved")
        .description("Requests approved, by an admin or within the auto-approve limits")
        .tag("by", by)
        .register(registry);
  }

  /** Registers the meters at start-up, so that they are there from the first scrape. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing creates the bean, which registers its meters.
  }

  /** A request was accepted (its transaction has committed). */
  void submitted(NetworkMode mode) {
    submitted.get(mode).increment();
  }

  void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RequestChanged change) {
    // A retry moves a failed request to APPROVED again: that is no approval.
    if (change.state() == RequestState.APPROVED && change.from() == RequestState.SUBMITTED) {
      (GuestRequest.BERTH.equals(change.actor()) ? approvedAutomatically : approvedByAdmin)
          .increment();
    } else if (change.state() == RequestState.REJECTED) {
      rejected.increment();
    }
  }

  private double count(RequestState state) {
    Map<RequestState, Long> counts = byState.get();
    return counts.isEmpty() ? Double.NaN : counts.getOrDefault(state, 0L);
  }

  private Map<RequestState, Long> read() {
    Map<RequestState, Long> counts = new EnumMap<>(RequestState.class);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(3);
      try (ResultSet r =
          s.executeQuery("SELECT state, count(*) FROM guest_request GROUP BY state")) {
        while (r.next()) {
          counts.put(RequestState.valueOf(r.getString(1)), r.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count requests: " + e.getMessage(), e);
    }
    // An empty table is known, not unknown: every state is zero.
    for (RequestState state : RequestState.values()) {
      counts.putIfAbsent(state, 0L);
    }
    return counts;
  }
}
