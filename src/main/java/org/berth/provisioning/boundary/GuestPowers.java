package org.berth.provisioning.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.PowerState;

/**
 * The power state of every Berth guest, for lists of requests: one look at the whole cluster serves
 * every row, and is kept for {@link #FRESH} so that paging through a list or many people opening it
 * do not each ask the hypervisor. A power action forgets it, so the list shows its outcome at once.
 * A list waits at most {@link #PATIENCE} for the cluster: when it is slow or cannot be read, the
 * list shows what was seen last (or no power state) rather than wait or fail, and the look that was
 * under way still refreshes what the next list shows.
 */
@ApplicationScoped
public class GuestPowers {

  /** How long one look at the cluster serves lists. */
  static final Duration FRESH = Duration.ofSeconds(10);

  /** How long a list waits for a look at the cluster. */
  static final Duration PATIENCE = Duration.ofSeconds(2);

  @Inject Hypervisor hypervisor;
  @Resource ManagedExecutorService executor;

  private record Look(Instant at, Map<Long, PowerState> byRequest) {}

  private volatile Look last = new Look(Instant.EPOCH, Map.of());
  private CompletableFuture<Look> looking;

  /** The power state of the guest carrying request {@code id}; empty when none is known. */
  public Optional<PowerState> of(long id) {
    return Optional.ofNullable(look().byRequest().get(id));
  }

  /** Drops what was seen, so the next list reads the cluster again. */
  public void forget() {
    last = new Look(Instant.EPOCH, last.byRequest());
  }

  private Look look() {
    Look seen = last;
    if (seen.at().plus(FRESH).isAfter(Instant.now())) {
      return seen;
    }
    CompletableFuture<Look> pending;
    synchronized (this) {
      if (looking == null || looking.isDone()) {
        looking = CompletableFuture.supplyAsync(this::read, executor);
      }
      pending = looking;
    }
    try {
      return pending.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return seen;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return seen;
    }
  }

  private Look read() {
    Map<Long, PowerState> byRequest;
    try {
      byRequest =
          hypervisor.cluster().berthGuests().stream()
              .filter(g -> !g.template())
              .collect(Collectors.toMap(GuestStatus::requestId, GuestStatus::power, (a, b) -> a));
    } catch (HypervisorFailure e) {
      byRequest = Map.of();
    }
    Look fresh = new Look(Instant.now(), byRequest);
    last = fresh;
    return fresh;
  }
}
