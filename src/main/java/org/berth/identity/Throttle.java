package org.berth.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: after {@code berth.signin.max-failures} failed sign-ins or token checks for
 * one account, or {@code berth.signin.max-failures-per-address} from one client address, within
 * {@code berth.signin.window-seconds}, further attempts for that account or from that address are
 * refused until the oldest failure leaves the window (429 with {@code Retry-After}), whether or not
 * the next guess would be right.
 *
 * <p>Counted in this instance's memory: each instance of a cluster throttles on its own, and a
 * restart forgets. At most {@link #MAX_KEYS} accounts and addresses are tracked; when that many
 * are, those whose failures have all left the window are forgotten first, and then the oldest.
 */
@ApplicationScoped
public class Throttle {

  /** The most accounts and addresses tracked at once. */
  static final int MAX_KEYS = 100_000;

  @Inject IdentitySettings settings;

  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  /** The key of an account. */
  public static String account(String username) {
    return "account:" + username;
  }

  /** The key of a client address. */
  public static String address(String address) {
    return "address:" + address;
  }

  /** How long to wait before trying again, if any of {@code keys} is throttled now. */
  public Optional<Duration> retryAfter(String... keys) {
    Instant now = Instant.now();
    Duration longest = null;
    for (String key : keys) {
      Deque<Instant> times = failures.get(key);
      if (times == null) {
        continue;
      }
      synchronized (times) {
        prune(times, now);
        if (times.size() >= limit(key)) {
          Duration wait = Duration.between(now, times.peekFirst().plus(settings.failureWindow()));
          if (longest == null || wait.compareTo(longest) > 0) {
            longest = wait;
          }
        }
      }
    }
    return Optional.ofNullable(longest).map(d -> d.isNegative() ? Duration.ofSeconds(1) : d);
  }

  /** Counts a failed attempt against each of {@code keys}. */
  public void failed(String... keys) {
    Instant now = Instant.now();
    if (failures.size() >= MAX_KEYS) {
      forgetOld(now);
    }
    for (String key : keys) {
      Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
      synchronized (times) {
        prune(times, now);
        times.addLast(now);
        while (times.size() > limit(key)) {
          times.removeFirst();
        }
      }
    }
  }

  private int limit(String key) {
    return key.startsWith("address:") ? settings.maxAddressFailures() : settings.maxFailures();
  }

  /** A successful sign-in clears the account's failures (not the address's). */
  public void succeeded(String accountKey) {
    failures.remove(accountKey);
  }

  private void prune(Deque<Instant> times, Instant now) {
    Instant horizon = now.minus(settings.failureWindow());
    while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
      times.removeFirst();
    }
  }

  private void forgetOld(Instant now) {
    failures
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                prune(e.getValue(), now);
                return e.getValue().isEmpty();
              }
            });
    if (failures.size() >= MAX_KEYS) {
      failures.entrySet().stream()
          .min(
              (a, b) -> {
                Instant x = a.getValue().isEmpty() ? Instant.MIN : a.getValue().peekLast();
                Instant y = b.getValue().isEmpty() ? Instant.MIN : b.getValue().peekLast();
                return x.compareTo(y);
              })
          .ifPresent(e -> failures.remove(e.getKey()));
    }
  }
}
