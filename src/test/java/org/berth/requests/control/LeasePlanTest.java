package org.berth.requests.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.berth.requests.entity.RequestState;
import org.junit.jupiter.api.Test;

class LeasePlanTest {

  static final Instant END = Instant.parse("2026-12-31T12:00:00Z");
  static final List<Integer> WARNINGS = List.of(7, 3, 1);

  static LeasePlan at(Instant now, RequestState state, Integer warned) {
    return LeasePlan.at(now, state, END, warned, WARNINGS, 7);
  }

  static Instant daysBeforeEnd(double days) {
    return END.minus(Duration.ofMinutes((long) (days * 24 * 60)));
  }

  @Test
  void firstLooksAtTheFirstWarning() {
    LeasePlan plan = at(daysBeforeEnd(30), RequestState.READY, null);

    assertThat(plan.warnDays()).isEmpty();
    assertThat(plan.next()).contains(daysBeforeEnd(7));
  }

  @Test
  void warnsSevenThreeAndOneDayBefore() {
    LeasePlan seven = at(daysBeforeEnd(7), RequestState.READY, null);
    assertThat(seven.warnDays()).contains(7);
    assertThat(seven.next()).contains(daysBeforeEnd(3));

    LeasePlan three = at(daysBeforeEnd(3), RequestState.READY, 7);
    assertThat(three.warnDays()).contains(3);
    assertThat(three.next()).contains(daysBeforeEnd(1));

    LeasePlan one = at(daysBeforeEnd(1), RequestState.READY, 3);
    assertThat(one.warnDays()).contains(1);
    assertThat(one.next()).contains(END);
  }

  @Test
  void sendsOnlyTheLatestMissedWarning() {
    LeasePlan plan = at(daysBeforeEnd(2), RequestState.APPROVED, null);

    assertThat(plan.warnDays()).contains(3);
    assertThat(plan.next()).contains(daysBeforeEnd(1));
  }

  @Test
  void doesNotWarnTwice() {
    LeasePlan plan = at(daysBeforeEnd(2.5), RequestState.READY, 3);

    assertThat(plan.warnDays()).isEmpty();
    assertThat(plan.next()).contains(daysBeforeEnd(1));
  }

  @Test
  void expiresAtTheEndThenDeletesAfterGrace() {
    LeasePlan end = at(END, RequestState.READY, 1);
    assertThat(end.expire()).isTrue();
    assertThat(end.next()).contains(END.plus(Duration.ofDays(7)));

    LeasePlan during = at(END.plus(Duration.ofDays(3)), RequestState.EXPIRED, 1);
    assertThat(during.delete()).isFalse();
    assertThat(during.next()).contains(END.plus(Duration.ofDays(7)));

    LeasePlan after = at(END.plus(Duration.ofDays(7)), RequestState.EXPIRED, 1);
    assertThat(after.delete()).isTrue();
    assertThat(after.next()).isEmpty();
  }

  @Test
  void catchesUpALeaseThatEndedLongAgo() {
    Instant now = END.plus(Duration.ofDays(30));
    LeasePlan plan = at(now, RequestState.READY, null);

    assertThat(plan.expire()).isTrue();
    assertThat(plan.warnDays()).isEmpty();
    assertThat(plan.next()).contains(now);
  }

  @Test
  void waitsForAGuestStillBeingCreated() {
    LeasePlan plan = at(END.plusSeconds(1), RequestState.PROVISIONING, null);

    assertThat(plan.expire()).isFalse();
    assertThat(plan.next()).contains(END.plusSeconds(1).plus(Duration.ofMinutes(10)));
  }

  @Test
  void needsNothingOnceOver() {
    for (RequestState s :
        List.of(
            RequestState.SUBMITTED,
            RequestState.REJECTED,
            RequestState.DELETED,
            RequestState.CANCELLED,
            RequestState.DELETING)) {
      assertThat(at(END, s, null))
          .isEqualTo(new LeasePlan(Optional.empty(), false, false, Optional.empty()));
    }
  }
}
