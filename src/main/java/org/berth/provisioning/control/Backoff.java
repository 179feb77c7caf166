package org.berth.provisioning.control;

import java.time.Duration;

/**
 * How long to wait before trying a step again after a transient failure: doubling from {@code
 * first}, never longer than {@code longest}.
 */
public record Backoff(Duration first, Duration longest) {

  /** The wait after the {@code attempt}-th failure in a row (1 for the first). */
  public Duration after(int attempt) {
    long millis = first.toMillis();
    for (int i = 1; i < attempt && millis < longest.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, longest.toMillis()));
  }
}
