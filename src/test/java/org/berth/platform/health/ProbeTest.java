package org.berth.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeTest {

  ExecutorService executor = Executors.newCachedThreadPool();
  MutableClock clock = new MutableClock();
  AtomicInteger looks = new AtomicInteger();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aPartThatHangsCostsAHealthCallOnlyTheWaitAndIsLookedAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Probe probe =
        new Probe(
            Duration.ofSeconds(15),
            () -> {
              looks.incrementAndGet();
              await(release);
              return "fine";
            },
            executor,
            clock);

    long start = System.nanoTime();
    HealthCheckResponse first = probe.health("part", Duration.ofMillis(200));
    HealthCheckResponse second = probe.health("part", Duration.ofMillis(200));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(first.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(first.getData().orElseThrow()).containsEntry("reason", "no answer within 200 ms");
    assertThat(second.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(tookMillis).isLessThan(2_000);
    assertThat(looks).as("the look under way is not started again").hasValue(1);

    release.countDown();
    HealthCheckResponse answered = probe.health("part", Duration.ofSeconds(5));
    assertThat(answered.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(answered.getData().orElseThrow()).containsEntry("state", "fine");
  }

  @Test
  void anAnswerServesForItsPeriodAndAFailureSaysWhy() {
    AtomicInteger calls = new AtomicInteger();
    Probe probe =
        new Probe(
            Duration.ofSeconds(15),
            () -> {
              looks.incrementAndGet();
              if (calls.incrementAndGet() > 1) {
                throw new IllegalStateException("connection refused by 127.0.0.1:8006");
              }
              return "3 of 3 node(s) online";
            },
            executor,
            clock);

    assertThat(probe.health("hypervisor", Duration.ofSeconds(5)).getStatus())
        .isEqualTo(HealthCheckResponse.Status.UP);
    clock.advance(Duration.ofSeconds(10));
    assertThat(probe.health("hypervisor", Duration.ofSeconds(5)).getStatus())
        .isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(looks).as("within the period the answer serves").hasValue(1);

    clock.advance(Duration.ofSeconds(10));
    HealthCheckResponse down = probe.health("hypervisor", Duration.ofSeconds(5));
    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(down.getData().orElseThrow())
        .containsEntry("reason", "connection refused by 127.0.0.1:8006");
  }

  @Test
  void theGaugeNeverWaitsAndFollowsTheNewestAnswer() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Probe probe =
        new Probe(
            Duration.ofSeconds(15),
            () -> {
              if (calls.incrementAndGet() > 1) {
                throw new IllegalStateException("down");
              }
              return "up";
            },
            executor,
            clock);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    probe.gauge(registry, "proxy");
    double before = registry.get("berth_part_up").tag("part", "proxy").gauge().value();
    probe.answer(Duration.ofSeconds(5));
    double up = registry.get("berth_part_up").gauge().value();
    clock.advance(Duration.ofMinutes(1));
    probe.answer(Duration.ofSeconds(5));
    double down = registry.get("berth_part_up").gauge().value();

    assertThat(before).isIn(Double.NaN, 1.0);
    assertThat(up).isEqualTo(1.0);
    assertThat(down).isEqualTo(0.0);
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
