package org.berth.platform.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A look at a part Berth depends on, taken in the background at most once per period. Callers get
 * the newest answer; when it is older than the period a new look starts, and a caller may wait a
 * little for it. A part that hangs therefore costs a health call at most the wait, and a look that
 * is under way is never started twice.
 */
public final class Probe {

  /** How often a readiness check looks at its part. */
  public static final Duration READINESS_PERIOD = Duration.ofSeconds(15);

  /** How long a health call waits for a look that is due. */
  public static final Duration READINESS_WAIT = Duration.ofSeconds(3);

  /** What one look found: whether the part answered, and what to tell an operator. */
  public record Answer(boolean up, String detail, Instant at) {}

  private final Duration period;
  private final Supplier<String> look;
  private final Executor executor;
  private final Clock clock;
  private Answer last;
  private CompletableFuture<Answer> running;

  /**
   * @param look looks at the part and returns a detail for operators; throws when the part does not
   *     answer, with a message that names no secret
   */
  public Probe(Duration period, Supplier<String> look, Executor executor, Clock clock) {
    this.period = period;
    this.look = look;
    this.executor = executor;
    this.clock = clock;
  }

  /**
   * A probe for a readiness check: a look at most every {@link #READINESS_PERIOD}, with its answer
   * as the gauge {@code berth_part_up{part}} when {@code registry} is given.
   */
  public static Probe readiness(
      String part, Supplier<String> look, Executor executor, MeterRegistry registry) {
    Probe probe = new Probe(READINESS_PERIOD, look, executor, Clock.systemUTC());
    if (registry != null) {
      probe.gauge(registry, part);
    }
    return probe;
  }

  /**
   * The newest answer, waiting up to {@code wait} for a look that is due; empty when no look has
   * finished yet (and none finished within the wait).
   */
  public Optional<Answer> answer(Duration wait) {
    CompletableFuture<Answer> pending;
    synchronized (this) {
      boolean due = last == null || last.at().plus(period).isBefore(clock.instant());
      if (due && (running == null || running.isDone())) {
        running = CompletableFuture.supplyAsync(this::lookOnce, executor);
        running.thenAccept(this::keep);
      }
      pending = due ? running : null;
    }
    if (pending != null && !wait.isZero()) {
      try {
        return Optional.of(pending.get(wait.toMillis(), TimeUnit.MILLISECONDS));
      } catch (TimeoutException e) {
        // the last answer serves; the look goes on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // lookOnce catches everything; nothing to add
      }
    }
    synchronized (this) {
      return Optional.ofNullable(last);
    }
  }

  /**
   * The readiness answer of check {@code name}: UP or DOWN with the look's detail and time, DOWN
   * when no look finished within {@code wait}.
   */
  public HealthCheckResponse health(String name, Duration wait) {
    Optional<Answer> answer = answer(wait);
    if (answer.isEmpty()) {
      return new HealthCheckResponse(
          name,
          HealthCheckResponse.Status.DOWN,
          Optional.of(Map.of("reason", "no answer within " + spoken(wait))));
    }
    Answer a = answer.get();
    return new HealthCheckResponse(
        name,
        a.up() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
        Optional.of(Map.of(a.up() ? "state" : "reason", a.detail(), "checked", a.at().toString())));
  }

  /**
   * Registers the gauge {@code berth_part_up{part}}: 1 when the newest look found the part
   * answering, 0 when not, NaN before the first look. Reading it never waits; it starts a look that
   * is due.
   */
  public void gauge(MeterRegistry registry, String part) {
    Gauge.builder(
            "berth_part_up",
            this,
            p -> p.answer(Duration.ZERO).map(a -> a.up() ? 1.0 : 0.0).orElse(Double.NaN))
        .description("Whether a part Berth depends on answered its last look (1) or not (0)")
        .tag("part", part)
        .register(registry);
  }

  private static String spoken(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private synchronized void keep(Answer answer) {
    last = answer;
  }

  private Answer lookOnce() {
    try {
      return new Answer(true, look.get(), clock.instant());
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Answer(false, why, clock.instant());
    }
  }
}
