package org.berth.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for something a test can observe, instead of sleeping for a time that is either too short
 * on a loaded machine or wasted on an idle one.
 */
public final class Await {

  private static final Duration PAUSE = Duration.ofMillis(100);

  private Await() {}

  /**
   * Looks at {@code probe} until {@code done} holds for what it returns, and returns that.
   *
   * @throws AssertionError naming {@code what} and the last value seen when {@code timeout} passes
   */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
    return until(what, timeout, PAUSE, probe, done);
  }

  /** As {@link #until(String, Duration, Supplier, Predicate)}, looking every {@code pause}. */
  public static <T> T until(
      String what, Duration timeout, Duration pause, Supplier<T> probe, Predicate<T> done) {
    Instant deadline = Instant.now().plus(timeout);
    T seen = probe.get();
    while (!done.test(seen)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Waited " + timeout + " for " + what + "; last seen: " + seen);
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for " + what, e);
      }
      seen = probe.get();
    }
    return seen;
  }
}
