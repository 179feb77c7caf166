package org.berth.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.access.proxy.ProxyFailure;
import org.berth.access.proxy.ProxyRoutes;
import org.berth.access.proxy.Route;
import org.berth.requests.boundary.GuestLog;
import org.berth.requests.boundary.GuestLog.Outcome;

/**
 * Brings the reverse proxy in line with the requests, outside any database transaction: one
 * request's route after it changed, or every route in a periodic sync that also removes routes no
 * request wants (left by a crash, or by an operator). Each outcome is a line in the request's guest
 * log, which its owner sees.
 */
@ApplicationScoped
public class Routes {

  private static final Logger LOG = Logger.getLogger(Routes.class.getName());
  static final String STEP = "Web address";
  static final int ATTEMPTS = 6;
  static final String REMOVED = "the web address was removed from the proxy";

  @Inject RouteStore store;
  @Inject ReverseProxy proxy;
  @Inject AccessMetrics metrics;
  @Inject GuestLog log;

  /** When to look again, and whether it is because of a failure. */
  public record Again(Instant at, boolean afterFailure) {}

  /**
   * Puts or removes the request's route, as its state asks.
   *
   * @param failures how many times in a row this has failed before
   * @return when to look again (after a passing failure, or because the request moved meanwhile);
   *     empty when done (or given up)
   */
  public Optional<Again> apply(long requestId, int failures) {
    Optional<ProxyRoutes> writer = proxy.writer();
    if (writer.isEmpty()) {
      return Optional.empty();
    }
    Optional<Route> wanted = store.wanted(requestId);
    try {
      if (wanted.isPresent()) {
        Route r = wanted.get();
        if (writer.get().put(r)) {
          log.log(
              requestId, STEP, Outcome.DONE, "https://" + r.host() + "/ leads to " + r.upstream());
        }
      } else if (writer.get().remove(requestId)) {
        log.log(requestId, STEP, Outcome.DONE, REMOVED);
      }
      // The request may have moved while the proxy was being changed; a running job is not
      // scheduled again by that move, so it looks once more itself.
      return store.wanted(requestId).equals(wanted)
          ? Optional.empty()
          : Optional.of(new Again(Instant.now(), false));
    } catch (ProxyFailure e) {
      metrics.routeFailed();
      boolean again = e.transientFailure() && failures + 1 < ATTEMPTS;
      // The proxy's own words may name other guests and the proxy's files: they go to Berth's
      // log, and the owner gets a plain line.
      LOG.log(Level.WARNING, "Route of request {0}: {1}", new Object[] {requestId, e.getMessage()});
      log.log(
          requestId,
          STEP,
          again ? Outcome.RETRY : Outcome.FAILED,
          "the reverse proxy did not take the change"
              + (again ? "; trying again" : "; Berth tries again at its next sync")
              + " (details in Berth's log)");
      return again
          ? Optional.of(
              new Again(Instant.now().plus(Duration.ofSeconds(2L << Math.min(failures, 6))), true))
          : Optional.empty();
    }
  }

  /**
   * Removes every route of Berth's that no request wants, then puts every wanted one, reading each
   * request again just before its change (a route job may have moved it meanwhile), and finally has
   * the proxy load it all. Removals come first, so a stale route cannot block a new guest's name.
   */
  public void sync() {
    Optional<ProxyRoutes> writer = proxy.writer();
    if (writer.isEmpty()) {
      return;
    }
    Set<Long> present;
    try {
      present = writer.get().routes();
    } catch (ProxyFailure e) {
      metrics.routeFailed();
      LOG.log(Level.WARNING, "Route sync could not read the proxy: {0}", e.getMessage());
      return;
    }
    Set<Long> wanted = store.allWanted().keySet();
    int changed = 0;
    int failed = 0;
    List<Long> order = new ArrayList<>();
    present.stream().filter(id -> !wanted.contains(id)).forEach(order::add);
    wanted.stream().filter(id -> !order.contains(id)).forEach(order::add);
    for (long id : order) {
      Optional<Route> now = store.wanted(id);
      try {
        if (now.isPresent() ? writer.get().put(now.get()) : writer.get().remove(id)) {
          changed++;
          log.log(id, STEP, Outcome.DONE, now.map(Routes::served).orElse(REMOVED));
        }
      } catch (ProxyFailure e) {
        metrics.routeFailed();
        failed++;
        LOG.log(
            Level.WARNING, "Route sync: {0}: {1}", new Object[] {Route.idOf(id), e.getMessage()});
      }
    }
    try {
      writer.get().refresh();
    } catch (ProxyFailure e) {
      metrics.routeFailed();
      failed++;
      LOG.log(Level.WARNING, "Route sync could not reload the proxy: {0}", e.getMessage());
    }
    if (changed > 0 || failed > 0) {
      LOG.log(
          failed > 0 ? Level.WARNING : Level.INFO,
          "Route sync: {0} route(s) wanted, {1} change(s), {2} failure(s)",
          new Object[] {wanted.size(), changed, failed});
    }
  }

  /** The guest log's line for a route that is served. */
  static String served(Route r) {
    return "https://" + r.host() + "/ leads to " + r.upstream();
  }
}
