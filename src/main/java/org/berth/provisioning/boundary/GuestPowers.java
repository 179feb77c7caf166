package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.PowerState;

/**
 * The power state of every Berth guest, for lists of requests: one look at the whole cluster serves
 * every row, and is kept for {@link #FRESH} so that paging through a list or many people opening it
 * do not each ask the hypervisor. A power action forgets it, so the list shows its outcome at once.
 * When the cluster cannot be read, lists show no power state rather than wait or fail.
 */
@ApplicationScoped
public class GuestPowers {

  /** How long one look at the cluster serves lists. */
  static final Duration FRESH = Duration.ofSeconds(10);

  @Inject Hypervisor hypervisor;

  private record Look(Instant at, Map<Long, PowerState> byRequest) {}

  private volatile Look last;

  /** The power state of the guest carrying request {@code id}; empty when none is known. */
  public Optional<PowerState> of(long id) {
    return Optional.ofNullable(look().byRequest().get(id));
  }

  /** Drops what was seen, so the next list reads the cluster again. */
  public void forget() {
    last = null;
  }

  private Look look() {
    Look seen = last;
    Instant now = Instant.now();
    if (seen != null && seen.at().plus(FRESH).isAfter(now)) {
      return seen;
    }
    Map<Long, PowerState> byRequest;
    try {
      byRequest =
          hypervisor.cluster().berthGuests().stream()
              .filter(g -> !g.template())
              .collect(Collectors.toMap(GuestStatus::requestId, GuestStatus::power, (a, b) -> a));
    } catch (HypervisorFailure e) {
      byRequest = Map.of();
    }
    Look fresh = new Look(now, byRequest);
    last = fresh;
    return fresh;
  }
}
