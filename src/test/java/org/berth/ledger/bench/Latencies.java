package org.berth.ledger.bench;

import java.util.Arrays;

/** Latencies of one kind of operation; percentiles by nearest rank. Thread-safe. */
final class Latencies {

  private long[] nanos = new long[256];
  private int count;

  synchronized void add(long elapsedNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = elapsedNanos;
  }

  synchronized void addAll(Latencies other) {
    long[] theirs = other.sorted();
    for (long n : theirs) {
      add(n);
    }
  }

  synchronized int count() {
    return count;
  }

  private synchronized long[] sorted() {
    long[] copy = Arrays.copyOf(nanos, count);
    Arrays.sort(copy);
    return copy;
  }

  /** The {@code p}-th percentile (0 to 100) in milliseconds; NaN when empty. */
  double percentileMs(double p) {
    long[] s = sorted();
    if (s.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))] / 1e6;
  }

  /** The median of the operations in {@code [from, to)} of the run (fractions, in order). */
  synchronized double medianMs(double from, double to) {
    long[] part = Arrays.copyOfRange(nanos, (int) (from * count), (int) (to * count));
    Arrays.sort(part);
    return part.length == 0 ? Double.NaN : part[(part.length - 1) / 2] / 1e6;
  }

  double maxMs() {
    long[] s = sorted();
    return s.length == 0 ? Double.NaN : s[s.length - 1] / 1e6;
  }
}
