package org.berth.access.boundary;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.berth.access.proxy.ProxyRoutes;
import org.berth.platform.health.Probe;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while Berth can read its routes from the reverse proxy it writes to (nginx's route folder,
 * Caddy's admin API), looked at every 15 seconds in the background; a health call waits at most 3
 * seconds. Without a reverse proxy ({@code berth.proxy.kind=none}) there is nothing to be down. The
 * answer is also the gauge {@code berth_part_up{part="proxy"}}.
 */
@Readiness
@ApplicationScoped
public class ProxyReadiness implements HealthCheck {

  static final String NAME = "proxy";

  @Inject ReverseProxy proxy;
  @Inject MeterRegistry registry;

  @Resource ManagedScheduledExecutorService executor;

  private Probe probe;

  @PostConstruct
  void create() {
    if (proxy.writer().isPresent()) {
      probe = Probe.readiness(NAME, this::look, executor, registry);
    }
  }

  @PreDestroy
  void stop() {
    if (probe != null) {
      probe.stop();
    }
  }

  /**
   * Starts the looks and registers the gauge at start-up, so that it is there from the first
   * scrape.
   */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing creates the bean, which registers its gauge.
  }

  private String look() {
    ProxyRoutes writer = proxy.writer().orElseThrow();
    return writer.routes().size() + " route(s) of Berth's in " + writer.description();
  }

  @Override
  public HealthCheckResponse call() {
    if (probe == null) {
      return HealthCheckResponse.named(NAME)
          .up()
          .withData("state", "no reverse proxy (berth.proxy.kind=none)")
          .build();
    }
    return probe.health(NAME, Probe.READINESS_WAIT);
  }
}
