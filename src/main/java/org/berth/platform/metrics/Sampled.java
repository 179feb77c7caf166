package org.berth.platform.metrics;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A figure read from the database for gauges, at most once per period however many gauges and
 * scrapes ask for it. When it cannot be read (the database is away) the gauges get {@code empty},
 * which they turn into NaN: Prometheus then shows a gap, not a made-up zero.
 *
 * @param <T> what one reading holds
 */
public final class Sampled<T> {

  private static final Logger LOG = Logger.getLogger(Sampled.class.getName());

  private final Duration period;
  private final Supplier<T> read;
  private final T empty;
  private T value;
  private long readAt;
  private boolean read0;

  /**
   * @param period how long one reading serves
   * @param read reads the figure; may throw when the database is away
   * @param empty what the gauges get when it cannot be read
   */
  public Sampled(Duration period, Supplier<T> read, T empty) {
    this.period = period;
    this.read = read;
    this.empty = empty;
  }

  /** The latest reading, read again when older than the period. */
  public synchronized T get() {
    long now = System.nanoTime();
    if (!read0 || now - readAt > period.toNanos()) {
      read0 = true;
      readAt = now;
      try {
        value = read.get();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "A metric could not be read: {0}", e.getMessage());
        value = empty;
      }
    }
    return value;
  }
}
