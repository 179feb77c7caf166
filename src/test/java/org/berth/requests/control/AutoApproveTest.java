package org.berth.requests.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AutoApproveTest {

  private final RequestPolicy.AutoApprove limits =
      new RequestPolicy.AutoApprove(true, 1, 1024, 10, 7);

  @Test
  void aRequestWithinEveryLimitIsApprovedAtOnce() {
    assertThat(limits.beyond(1, 1024, 10, 7)).isEmpty();
    assertThat(limits.allows(1, 1024, 10, 7)).isTrue();
  }

  @Test
  void eachLimitPassedIsNamedWithTheSizeAskedAndTheLimit() {
    assertThat(limits.beyond(2, 2048, 20, 14))
        .containsExactly(
            "2 cores, more than the 1 approved at once",
            "2048 MiB of memory, more than the 1024 MiB approved at once",
            "20 GiB of disk, more than the 10 GiB approved at once",
            "a lease of 14 days, longer than the 7 approved at once");
    assertThat(limits.allows(2, 1024, 10, 7)).isFalse();
  }

  @Test
  void withAutoApprovalOffEveryRequestWaitsAndSaysSo() {
    RequestPolicy.AutoApprove off = new RequestPolicy.AutoApprove(false, 1, 1024, 10, 7);
    assertThat(off.beyond(1, 512, 2, 1)).containsExactly("every request is approved by an admin");
    assertThat(off.allows(1, 512, 2, 1)).isFalse();
  }
}
