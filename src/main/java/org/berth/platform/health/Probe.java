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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A look at a part Berth depends on, taken in the background once per period from the moment it
 * starts. Health calls and scrapes read the newest answer and never start a look themselves, so
 * they cost nothing however often they come, and they work from any thread (Payara's own health
 * endpoint calls checks from outside the application). Before the first answer a caller may wait a
 * little for it. An answer older than three periods means the part hangs: it counts as down.
 */
public final class Probe {

  /** How often a readiness check looks at its part. */
  public static final Duration READINESS_PERIOD = Duration.ofSeconds(15);

  /** How long a health call waits for the first look. */
  public static final Duration READINESS_WAIT = Duration.ofSeconds(3);

  /** What one look found: whether the part answered, and what to tell an operator. */
  public record Answer(boolean up, String detail, Instant at) {}

  private final Duration period;
  private final Supplier<String> look;
  private final Clock clock;
  private final CompletableFuture<Answer> first = new CompletableFuture<>();
  private volatile Answer last;
  private ScheduledFuture<?> looking;

  /**
   * @param look looks at the part and returns a detail for operators; throws when the part does not
   *     answer, with a message that names no secret
   */
  public Probe(Duration period, Supplier<String> look, Clock clock) {
    this.period = period;
    this.look = look;
    this.clock = clock;
  }

  /**
   * A started probe for a readiness check, looking every {@link #READINESS_PERIOD}, with its answer
   * as the gauge {@code berth_part_up{part}} when {@code registry} is given.
   */
  public static Probe readiness(
      String part,
      Supplier<String> look,
      ScheduledExecutorService executor,
      MeterRegistry registry) {
    Probe probe = new Probe(READINESS_PERIOD, look, Clock.systemUTC());
    probe.start(executor);
    if (registry != null) {
      probe.gauge(registry, part);
    }
    return probe;
  }

  /** Looks now and then once per period on {@code executor}, until {@link #stop()}. */
  public synchronized void start(ScheduledExecutorService executor) {
    if (looking == null) {
      looking =
          executor.scheduleWithFixedDelay(
              this::lookNow, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  public synchronized void stop() {
    if (looking != null) {
      looking.cancel(true);
      looking = null;
    }
  }

  /** Takes one look and keeps its answer (the scheduled task; tests call it directly). */
  void lookNow() {
    Answer a = lookOnce();
    last = a;
    first.complete(a);
  }

  /**
   * The newest answer, waiting up to {@code wait} for the first; empty when there is none yet. An
   * answer older than three periods is reported as down: the look under way hangs.
   */
  public Optional<Answer> answer(Duration wait) {
    Answer a = last;
    if (a == null && !wait.isZero()) {
      try {
        a = first.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    if (a != null && a.at().plus(period.multipliedBy(3)).isBefore(clock.instant())) {
      return Optional.of(
          new Answer(false, "no answer since " + a.at() + ": the part does not answer", a.at()));
    }
    return Optional.ofNullable(a);
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
   * answering, 0 when not, NaN before the first look. Reading it never waits.
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

  private Answer lookOnce() {
    try {
      return new Answer(true, look.get(), clock.instant());
    } catch (RuntimeException | LinkageError e) {
      // A part that cannot be looked at is down; the answer says why instead of none coming.
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Answer(false, why, clock.instant());
    }
  }
}
