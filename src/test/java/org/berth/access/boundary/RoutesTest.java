package org.berth.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.berth.access.proxy.ProxyFailure;
import org.berth.access.proxy.ProxyRoutes;
import org.berth.access.proxy.Route;
import org.berth.requests.boundary.GuestLog;
import org.berth.requests.boundary.GuestLog.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link Routes} drives a proxy writer: what one request's job and the periodic sync change, in
 * which order, and what the owner reads in the guest log. The writer and the request store are
 * stand-ins; the real writers have their own tests against real nginx and Caddy.
 */
class RoutesTest {

  /** A proxy that keeps its routes in a map and records every call. */
  static final class RecordingProxy implements ProxyRoutes {
    final Map<Long, Route> routes = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    ProxyFailure failNext;

    @Override
    public String description() {
      return "recording proxy";
    }

    @Override
    public boolean put(Route route) {
      calls.add("put " + route.requestId());
      fail();
      return !route.equals(routes.put(route.requestId(), route));
    }

    @Override
    public boolean remove(long requestId) {
      calls.add("remove " + requestId);
      fail();
      return routes.remove(requestId) != null;
    }

    @Override
    public Set<Long> routes() {
      return new TreeSet<>(routes.keySet());
    }

    @Override
    public void refresh() {
      calls.add("refresh");
    }

    private void fail() {
      if (failNext != null) {
        ProxyFailure f = failNext;
        failNext = null;
        throw f;
      }
    }
  }

  record Logged(long id, Outcome outcome, String detail) {}

  RecordingProxy proxy = new RecordingProxy();
  Map<Long, Route> wanted = new LinkedHashMap<>();
  Map<Long, Route> wantedLater = new HashMap<>();
  List<Logged> log = new ArrayList<>();
  Routes routes = new Routes();
  SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void wire() {
    routes.metrics = new AccessMetrics();
    routes.metrics.registry = registry;
    routes.metrics.create();
    routes.proxy =
        new ReverseProxy() {
          @Override
          public Optional<ProxyRoutes> writer() {
            return Optional.of(proxy);
          }
        };
    routes.store =
        new RouteStore() {
          @Override
          public Optional<Route> wanted(long requestId) {
            if (wantedLater.containsKey(requestId)) {
              return Optional.ofNullable(wantedLater.get(requestId));
            }
            return Optional.ofNullable(wanted.get(requestId));
          }

          @Override
          public Map<Long, Route> allWanted() {
            return new LinkedHashMap<>(wanted);
          }
        };
    routes.log =
        new GuestLog() {
          @Override
          public void log(long id, String step, Outcome outcome, String detail) {
            log.add(new Logged(id, outcome, detail));
          }
        };
  }

  static Route route(long id, String name, String address) {
    return new Route(id, name + ".guests.example.org", address, 8080);
  }

  @Test
  void syncRemovesStaleRoutesFirstThenPutsTheWantedOnesAndHasTheProxyLoadIt() {
    proxy.routes.put(1L, route(1, "old", "10.77.0.2"));
    proxy.routes.put(2L, route(2, "same", "10.77.0.3"));
    proxy.routes.put(3L, route(3, "moved", "10.77.0.4"));
    wanted.put(2L, route(2, "same", "10.77.0.3"));
    wanted.put(3L, route(3, "moved", "10.77.0.9"));
    wanted.put(4L, route(4, "new", "10.77.0.2"));

    routes.sync();

    assertThat(proxy.calls).containsExactly("remove 1", "put 2", "put 3", "put 4", "refresh");
    assertThat(proxy.routes).isEqualTo(wanted);
    assertThat(log)
        .containsExactly(
            new Logged(1, Outcome.DONE, Routes.REMOVED),
            new Logged(
                3, Outcome.DONE, "https://moved.guests.example.org/ leads to 10.77.0.9:8080"),
            new Logged(4, Outcome.DONE, "https://new.guests.example.org/ leads to 10.77.0.2:8080"));
  }

  @Test
  void syncReadsEachRequestAgainBeforeItsChange() {
    wanted.put(5L, route(5, "going", "10.77.0.5"));
    proxy.routes.put(5L, route(5, "going", "10.77.0.5"));
    wantedLater.put(5L, null); // deleted after the sync listed the wanted routes

    routes.sync();

    assertThat(proxy.routes).isEmpty();
    assertThat(proxy.calls).containsExactly("remove 5", "refresh");
  }

  @Test
  void aJobPutsTheRouteOfAReadyGuestAndRemovesItWhenTheGuestGoes() {
    wanted.put(6L, route(6, "web", "10.77.0.6"));
    assertThat(routes.apply(6, 0)).isEmpty();
    assertThat(proxy.routes).containsKey(6L);
    assertThat(routes.apply(6, 0)).as("nothing to change").isEmpty();
    assertThat(log).hasSize(1);

    wanted.remove(6L);
    assertThat(routes.apply(6, 0)).isEmpty();
    assertThat(proxy.routes).isEmpty();
    assertThat(log).last().isEqualTo(new Logged(6, Outcome.DONE, Routes.REMOVED));
  }

  @Test
  void aJobLooksAgainAtOnceWhenTheRequestMovedWhileTheProxyChanged() {
    wanted.put(7L, route(7, "web", "10.77.0.7"));
    ProxyRoutes real = proxy;
    routes.proxy =
        new ReverseProxy() {
          @Override
          public Optional<ProxyRoutes> writer() {
            return Optional.of(
                new ForwardingProxy(real) {
                  @Override
                  public boolean put(Route route) {
                    boolean changed = super.put(route);
                    wantedLater.put(7L, null); // deleted meanwhile
                    return changed;
                  }
                });
          }
        };

    Optional<Routes.Again> again = routes.apply(7, 0);

    assertThat(again).get().extracting(Routes.Again::afterFailure).isEqualTo(false);
    assertThat(again.get().at()).isBeforeOrEqualTo(Instant.now());
  }

  @Test
  void aPassingFailureIsRetriedWithGrowingPausesAndTheOwnerReadsNoProxyDetails() {
    wanted.put(8L, route(8, "web", "10.77.0.8"));
    Instant start = Instant.now();
    proxy.failNext =
        new ProxyFailure("nginx: [emerg] host other.guests.example.org in /etc/nginx/x", true);
    Optional<Routes.Again> first = routes.apply(8, 0);
    proxy.failNext = new ProxyFailure("nginx could not be reloaded", true);
    Optional<Routes.Again> third = routes.apply(8, 2);

    assertThat(first).get().extracting(Routes.Again::afterFailure).isEqualTo(true);
    assertThat(Duration.between(start, first.get().at()))
        .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(3));
    assertThat(Duration.between(start, third.get().at())).isGreaterThan(Duration.ofSeconds(7));
    assertThat(log)
        .allSatisfy(
            l -> {
              assertThat(l.outcome()).isEqualTo(Outcome.RETRY);
              assertThat(l.detail())
                  .contains("did not take the change; trying again")
                  .doesNotContain("other.guests", "/etc/nginx", "emerg");
            });

    proxy.failNext = new ProxyFailure("still down", true);
    assertThat(routes.apply(8, Routes.ATTEMPTS - 1)).as("given up to the sync").isEmpty();
    proxy.failNext = new ProxyFailure("nginx refused it", false);
    assertThat(routes.apply(8, 0)).as("a refusal is not retried").isEmpty();
    assertThat(log.subList(2, 4))
        .extracting(Logged::outcome)
        .containsExactly(Outcome.FAILED, Outcome.FAILED);
    assertThat(log.get(3).detail()).contains("tries again at its next sync");
    assertThat(registry.get("berth_proxy_route_failures").counter().count())
        .as("every change the proxy did not take is counted")
        .isEqualTo(4);
  }

  /** A proxy that hands every call to another. */
  static class ForwardingProxy implements ProxyRoutes {
    private final ProxyRoutes to;

    ForwardingProxy(ProxyRoutes to) {
      this.to = to;
    }

    @Override
    public String description() {
      return to.description();
    }

    @Override
    public boolean put(Route route) {
      return to.put(route);
    }

    @Override
    public boolean remove(long requestId) {
      return to.remove(requestId);
    }

    @Override
    public Set<Long> routes() {
      return to.routes();
    }
  }
}
