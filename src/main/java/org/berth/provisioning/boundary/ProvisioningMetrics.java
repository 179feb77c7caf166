package org.berth.provisioning.boundary;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.berth.hypervisor.setup.Hypervisors;
import org.berth.requests.boundary.RequestChanged;
import org.berth.requests.entity.RequestState;

/**
 * {@code berth_provisioning_seconds{hypervisor,outcome}}: the time from a request's approval to its
 * guest running ({@code ready}) or provisioning giving up ({@code failed}), recorded once the
 * transaction that moved the request has committed. Its {@code _count} with {@code
 * outcome="failed"} is the count of failed provisionings the alerts watch.
 */
@ApplicationScoped
public class ProvisioningMetrics {

  /** Buckets people think in: seconds for the simulated cluster, minutes for real clones. */
  private static final Duration[] BUCKETS = {
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(30),
    Duration.ofHours(1)
  };

  @Inject MeterRegistry registry;
  @Inject Hypervisors hypervisors;

  Clock clock = Clock.systemUTC();
  private Timer ready;
  private Timer failed;

  @PostConstruct
  void create() {
    ready = timer("ready");
    failed = timer("failed");
  }

  private Timer timer(String outcome) {
    return Timer.builder("berth_provisioning")
        .description("Time from approval to the guest running, or to provisioning giving up")
        .tags("hypervisor", hypervisors.kind(), "outcome", outcome)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  /** Registers the timers at start-up, so that they are there from the first scrape. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing creates the bean, which registers its timers.
  }

  void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RequestChanged change) {
    if (change.approvedAt() == null) {
      return;
    }
    Timer timer =
        change.state() == RequestState.READY
            ? ready
            : change.state() == RequestState.FAILED ? failed : null;
    if (timer != null) {
      Duration took = Duration.between(change.approvedAt(), clock.instant());
      timer.record(took.isNegative() ? Duration.ZERO : took);
    }
  }
}
