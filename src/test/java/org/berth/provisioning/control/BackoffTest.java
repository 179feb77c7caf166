package org.berth.provisioning.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void backoffDoublesUpToItsLongestPause() {
    Backoff b = new Backoff(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60));
    assertThat(List.of(b.after(1), b.after(2), b.after(3), b.after(4), b.after(10)))
        .extracting(java.time.Duration::toSeconds)
        .containsExactly(10L, 20L, 40L, 60L, 60L);
  }
}
