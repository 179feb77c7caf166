package org.berth.requests.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.berth.requests.entity.RequestState;

/**
 * What a lease asks for at a moment: a warning, expiry or deletion, and when to look again. Missed
 * deadlines (Berth was down) are caught up: only the latest warning due is sent, and a lease that
 * ended while nobody looked still expires and is deleted in turn.
 *
 * @param warnDays the warning to send now (days before the end), if any
 * @param expire whether the lease has ended and the request must expire now
 * @param delete whether the grace period is over and the guest must go now
 * @param next when to look again; empty when the lease needs no more attention
 */
public record LeasePlan(
    Optional<Integer> warnDays, boolean expire, boolean delete, Optional<Instant> next) {

  /** How long to wait for a guest still being created whose lease has ended. */
  static final Duration PROVISIONING_RECHECK = Duration.ofMinutes(10);

  public static LeasePlan at(
      Instant now,
      RequestState state,
      Instant leaseEnds,
      Integer warnedDays,
      List<Integer> warningDays,
      int graceDays) {
    if (leaseEnds == null
        || state.terminal()
        || state == RequestState.DELETING
        || state == RequestState.SUBMITTED) {
      return new LeasePlan(Optional.empty(), false, false, Optional.empty());
    }
    Instant deletion = leaseEnds.plus(Duration.ofDays(graceDays));
    if (state == RequestState.EXPIRED || state == RequestState.FAILED) {
      boolean due = !now.isBefore(deletion);
      return new LeasePlan(
          Optional.empty(), false, due, due ? Optional.empty() : Optional.of(deletion));
    }
    if (!now.isBefore(leaseEnds)) {
      if (state == RequestState.PROVISIONING) {
        return new LeasePlan(
            Optional.empty(), false, false, Optional.of(now.plus(PROVISIONING_RECHECK)));
      }
      boolean pastGrace = !now.isBefore(deletion);
      return new LeasePlan(Optional.empty(), true, false, Optional.of(pastGrace ? now : deletion));
    }
    Integer warn = null;
    for (int days : warningDays) {
      boolean due = !now.isBefore(leaseEnds.minus(Duration.ofDays(days)));
      boolean sent = warnedDays != null && warnedDays <= days;
      if (due && !sent && (warn == null || days < warn)) {
        warn = days;
      }
    }
    int warnedNow = warn != null ? warn : warnedDays == null ? Integer.MAX_VALUE : warnedDays;
    Instant next = leaseEnds;
    for (int days : warningDays) {
      Instant at = leaseEnds.minus(Duration.ofDays(days));
      if (days < warnedNow && at.isAfter(now) && at.isBefore(next)) {
        next = at;
      }
    }
    return new LeasePlan(Optional.ofNullable(warn), false, false, Optional.of(next));
  }
}
