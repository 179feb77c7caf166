package org.berth.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeTest {

  static final Duration PERIOD = Duration.ofSeconds(15);

  ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  MutableClock clock = new MutableClock();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aHealthCallWaitsAtMostTheWaitForTheFirstLookAndNeverStartsOne() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger looks = new AtomicInteger();
    Probe probe =
        new Probe(
            PERIOD,
            () -> {
              looks.incrementAndGet();
              await(release);
              return "fine";
            },
            clock);
    probe.start(executor);

    long start = System.nanoTime();
    HealthCheckResponse first = probe.health("part", Duration.ofMillis(200));
    HealthCheckResponse second = probe.health("part", Duration.ofMillis(200));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(first.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(first.getData().orElseThrow()).containsEntry("reason", "no answer within 200 ms");
    assertThat(second.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(tookMillis).isLessThan(2_000);

    release.countDown();
    HealthCheckResponse answered = probe.health("part", Duration.ofSeconds(5));
    assertThat(answered.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(answered.getData().orElseThrow()).containsEntry("state", "fine");
    assertThat(looks).as("health calls start no look of their own").hasValue(1);
  }

  @Test
  void aFailedLookSaysWhyAndAnAnswerThatIsNotRenewedCountsAsDown() {
    Probe probe =
        new Probe(
            PERIOD,
            upOnceThenDown("3 of 3 node(s) online", "connection refused by 127.0.0.1:8006"),
            clock);

    probe.lookNow();
    assertThat(probe.health("hypervisor", Duration.ZERO).getStatus())
        .isEqualTo(HealthCheckResponse.Status.UP);
    clock.advance(PERIOD.multipliedBy(4));
    HealthCheckResponse stale = probe.health("hypervisor", Duration.ZERO);
    assertThat(stale.getStatus())
        .as("the next look hangs")
        .isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(stale.getData().orElseThrow().get("reason").toString())
        .startsWith("no answer since 2026-12-03T12:00:00Z");

    probe.lookNow();
    HealthCheckResponse down = probe.health("hypervisor", Duration.ZERO);
    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(down.getData().orElseThrow())
        .containsEntry("reason", "connection refused by 127.0.0.1:8006");
  }

  @Test
  void theGaugeFollowsTheNewestAnswer() {
    Probe probe = new Probe(PERIOD, upOnceThenDown("up", "down"), clock);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    probe.gauge(registry, "proxy");

    double before = registry.get("berth_part_up").tag("part", "proxy").gauge().value();
    probe.lookNow();
    double up = registry.get("berth_part_up").gauge().value();
    probe.lookNow();
    double down = registry.get("berth_part_up").gauge().value();

    assertThat(before).isNaN();
    assertThat(up).isEqualTo(1.0);
    assertThat(down).isEqualTo(0.0);
  }

  /**
   * A part that answers {@code up} to the first look and fails every later one with {@code why}.
   */
  static java.util.function.Supplier<String> upOnceThenDown(String up, String why) {
    AtomicInteger calls = new AtomicInteger();
    return () -> {
      if (calls.incrementAndGet() > 1) {
        throw new IllegalStateException(why);
      }
      return up;
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-12-03T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
