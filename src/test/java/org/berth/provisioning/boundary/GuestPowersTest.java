package org.berth.provisioning.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.PowerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lists read power states from one look at the cluster, and never wait long for it. */
class GuestPowersTest {

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger looks = new AtomicInteger();
  private volatile CountDownLatch answer = new CountDownLatch(0);
  private volatile PowerState power = PowerState.RUNNING;
  private volatile boolean unreachable;

  @AfterEach
  void stop() {
    answer.countDown();
    threads.shutdownNow();
  }

  private GuestPowers powers() {
    GuestPowers p = new GuestPowers();
    p.hypervisor =
        (Hypervisor)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Hypervisor.class},
                (proxy, method, args) -> {
                  if (!method.getName().equals("cluster")) {
                    throw new UnsupportedOperationException(method.getName());
                  }
                  looks.incrementAndGet();
                  answer.await(30, TimeUnit.SECONDS);
                  if (unreachable) {
                    throw new org.berth.hypervisor.HypervisorFailure("cluster unreachable", true);
                  }
                  return new Cluster(
                      List.of(),
                      List.of(
                          new GuestStatus(
                              new GuestRef(GuestType.VM, "sim1", 10001),
                              "web",
                              power,
                              42L,
                              null,
                              false,
                              1024),
                          new GuestStatus(
                              new GuestRef(GuestType.VM, "sim1", 9000),
                              "template",
                              PowerState.STOPPED,
                              null,
                              null,
                              true,
                              1024)));
                });
    p.executor =
        (ManagedExecutorService)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class},
                (proxy, method, args) -> method.invoke(threads, args));
    return p;
  }

  @Test
  void oneLookServesEveryRowUntilAPowerActionForgetsIt() {
    GuestPowers powers = powers();

    assertThat(powers.of(42)).contains(PowerState.RUNNING);
    assertThat(powers.of(7)).isEmpty();
    assertThat(looks).hasValue(1);

    power = PowerState.STOPPED;
    assertThat(powers.of(42)).contains(PowerState.RUNNING);
    assertThat(looks).hasValue(1);

    powers.forget();
    assertThat(powers.of(42)).contains(PowerState.STOPPED);
    assertThat(looks).hasValue(2);
  }

  @Test
  void aSlowClusterCostsAListAtMostItsPatienceAndTheLookStillLands() throws Exception {
    GuestPowers powers = powers();
    answer = new CountDownLatch(1);

    long started = System.nanoTime();
    assertThat(powers.of(42)).isEmpty();
    Duration waited = Duration.ofNanos(System.nanoTime() - started);
    assertThat(waited)
        .isGreaterThanOrEqualTo(GuestPowers.PATIENCE)
        .isLessThan(GuestPowers.PATIENCE.plusSeconds(2));

    // Further rows while the look is under way do not wait for it, nor start another.
    started = System.nanoTime();
    for (int row = 0; row < 100; row++) {
      assertThat(powers.of(42)).isEmpty();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
    assertThat(looks).hasValue(1);

    answer.countDown();
    for (int i = 0; i < 50 && powers.of(42).isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(powers.of(42)).contains(PowerState.RUNNING);
    assertThat(looks).hasValue(1);
  }

  @Test
  void aClusterThatCannotBeReadLeavesTheStatesSeenLast() {
    GuestPowers powers = powers();
    assertThat(powers.of(42)).contains(PowerState.RUNNING);

    unreachable = true;
    powers.forget();
    assertThat(powers.of(42)).contains(PowerState.RUNNING);
    assertThat(looks).hasValue(2);
    // Not asked again at once: the failed look stands for its freshness too.
    assertThat(powers.of(42)).contains(PowerState.RUNNING);
    assertThat(looks).hasValue(2);
  }
}
