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

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(GuestPowers.class.getName());

  private record Look(Instant at, Map<Long, PowerState> byRequest) {}

  private volatile Look last = new Look(Instant.EPOCH, Map.of());
  private CompletableFuture<Look> looking;

  /** Whether a list has waited its patience out on the look under way: the others do not wait. */
  private boolean waitedOut;

  /** Counts {@link #forget}s: a look started before one does not stand for the cluster after. */
  private long generation;

  /** The power state of the guest carrying request {@code id}; empty when none is known. */
  public Optional<PowerState> of(long id) {
    return Optional.ofNullable(look().byRequest().get(id));
  }

  /** Drops what was seen, so the next list reads the cluster again. */
  public synchronized void forget() {
    generation++;
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
        long asOf = generation;
        try {
          looking = CompletableFuture.supplyAsync(() -> read(asOf), executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          return seen; // the server is stopping
        }
        waitedOut = false;
      } else if (waitedOut) {
        return seen;
      }
      pending = looking;
    }
    try {
      return pending.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      synchronized (this) {
        waitedOut = true;
      }
      return seen;
    } catch (ExecutionException e) {
      return seen;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return seen;
    }
  }

  /**
   * One look at the cluster. When it cannot be read, the states seen last stay (and are not looked
   * for again for {@link #FRESH}); a look that a {@link #forget} overtook is not kept.
   */
  private Look read(long asOf) {
    Map<Long, PowerState> byRequest;
    try {
      byRequest =
          hypervisor.cluster().berthGuests().stream()
              .filter(g -> !g.template())
              .collect(Collectors.toMap(GuestStatus::requestId, GuestStatus::power, (a, b) -> a));
    } catch (HypervisorFailure e) {
      byRequest = last.byRequest();
    } catch (RuntimeException e) {
      // A look that breaks still counts as one, so that lists do not each start another.
      LOG.log(java.util.logging.Level.WARNING, "Cannot read the guests' power states", e);
      byRequest = last.byRequest();
    }
    Look fresh = new Look(Instant.now(), byRequest);
    synchronized (this) {
      if (asOf == generation) {
        last = fresh;
      }
    }
    return fresh;
  }
}
