package org.berth.access.boundary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Access as figures: the jump host's key lookups by outcome ({@code keys}: the person has keys for
 * the guest, {@code none}: no key may reach it, {@code refused}: the caller's token was wrong), and
 * changes the reverse proxy did not take.
 */
@ApplicationScoped
public class AccessMetrics {

  @Inject MeterRegistry registry;

  private Counter keys;
  private Counter none;
  private Counter refused;
  private Counter routeFailures;

  @PostConstruct
  void create() {
    keys = lookups("keys");
    none = lookups("none");
    refused = lookups("refused");
    routeFailures =
        Counter.builder("berth_proxy_route_failures")
            .description("Route changes or reloads the reverse proxy did not take")
            .register(registry);
  }

  private Counter lookups(String outcome) {
    return Counter.builder("berth_jumphost_key_lookups")
        .description("The jump host's questions for the keys that may reach a guest, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Registers the counters at start-up, so that they are there from the first scrape. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing creates the bean, which registers its counters.
  }

  void keyLookup(boolean found) {
    (found ? keys : none).increment();
  }

  void keyLookupRefused() {
    refused.increment();
  }

  void routeFailed() {
    routeFailures.increment();
  }
}
