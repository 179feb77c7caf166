package org.berth.provisioning.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A power or snapshot job's progress as its data holds it, older forms included. */
class TriesTest {

  @Test
  void failuresAndALockWaitGoThroughTheJobsData() {
    Instant since = Instant.ofEpochSecond(1_796_400_000L);
    Tries waiting = new Tries(2, since);
    assertThat(waiting.encode()).isEqualTo("2@1796400000").doesNotContain(":");
    assertThat(Tries.decode(waiting.encode())).isEqualTo(waiting);
    assertThat(Tries.decode(new Tries(3, null).encode())).isEqualTo(new Tries(3, null));
  }

  @Test
  void aFailureEndsTheLockWaitAndTheFirstLookAtALockIsKept() {
    Instant first = Instant.ofEpochSecond(100);
    Tries locked = Tries.FIRST.locked(first);
    assertThat(locked).isEqualTo(new Tries(0, first));
    assertThat(locked.locked(first.plusSeconds(60))).isEqualTo(locked);
    assertThat(locked.failed()).isEqualTo(new Tries(1, null));
  }

  @Test
  void dataWrittenBeforeLockWaitsOrStrangeDataReadAsATry() {
    assertThat(Tries.decode("4")).isEqualTo(new Tries(4, null));
    assertThat(Tries.decode(null)).isEqualTo(Tries.FIRST);
    assertThat(Tries.decode("")).isEqualTo(Tries.FIRST);
    assertThat(Tries.decode("-1")).isEqualTo(Tries.FIRST);
    assertThat(Tries.decode("9999999999")).isEqualTo(Tries.FIRST);
    assertThat(Tries.decode("1@x")).isEqualTo(Tries.FIRST);
  }
}
