package org.berth.provisioning.boundary;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.Hypervisor;
import org.berth.platform.health.Probe;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the hypervisor answers: Berth reads the cluster's nodes and guests every 15 seconds
 * in the background, and a health call waits at most 3 seconds for the first look. The same answer
 * is the gauge {@code berth_part_up{part="hypervisor"}}.
 */
@Readiness
@ApplicationScoped
public class HypervisorReadiness implements HealthCheck {

  static final String NAME = "hypervisor";

  @Inject Instance<Hypervisor> hypervisor;
  @Inject MeterRegistry registry;

  @Resource ManagedScheduledExecutorService executor;

  private Probe probe;

  @PostConstruct
  void create() {
    probe = Probe.readiness(NAME, this::look, executor, registry);
  }

  @PreDestroy
  void stop() {
    probe.stop();
  }

  /**
   * Starts the looks and registers the gauge at start-up, so that it is there from the first
   * scrape.
   */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing creates the bean, which registers its gauge.
  }

  private String look() {
    Hypervisor h = hypervisor.get();
    if (h == null) {
      throw new IllegalStateException("no hypervisor: this instance is not configured to start");
    }
    Cluster cluster = h.cluster();
    long online = cluster.nodes().stream().filter(n -> n.online()).count();
    if (online == 0) {
      throw new IllegalStateException("no node of " + cluster.nodes().size() + " is online");
    }
    return online
        + " of "
        + cluster.nodes().size()
        + " node(s) online, "
        + cluster.berthGuests().size()
        + " guest(s) of Berth's";
  }

  @Override
  public HealthCheckResponse call() {
    return probe.health(NAME, Probe.READINESS_WAIT);
  }
}
