package org.berth.requests.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a person may do to a request's guest, asked of the state by pages, API and jobs alike. */
class RequestStateTest {

  static Set<RequestState> where(java.util.function.Predicate<RequestState> rule) {
    return Stream.of(RequestState.values()).filter(rule).collect(Collectors.toSet());
  }

  @Test
  void onlyARunningGuestIsStartedOrRebootedAndAnExpiredOneMayStillBeShutDown() {
    assertThat(where(RequestState::allowsPower)).containsExactly(RequestState.READY);
    assertThat(where(RequestState::allowsShutdown))
        .isEqualTo(EnumSet.of(RequestState.READY, RequestState.EXPIRED));
  }

  @Test
  void onlyAFailedRequestIsRetriedAndARetryIsATransitionTheStateMachineAllows() {
    assertThat(where(RequestState::allowsRetry)).containsExactly(RequestState.FAILED);
    assertThat(RequestState.FAILED.canMoveTo(RequestState.APPROVED)).isTrue();
  }
}
