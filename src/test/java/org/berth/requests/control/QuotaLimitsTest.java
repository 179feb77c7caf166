package org.berth.requests.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuotaLimitsTest {

  static final QuotaLimits LIMITS = new QuotaLimits(3, 8, 16384, 200);

  @Test
  void oneMoreGuestFitsWhileEveryLimitHolds() {
    assertThat(LIMITS.exceededBy(new QuotaLimits(2, 6, 14336, 180), 2, 2048, 20)).isNull();
  }

  @Test
  void namesTheFirstLimitAGuestWouldBreak() {
    assertThat(LIMITS.exceededBy(new QuotaLimits(3, 0, 0, 0), 1, 1, 1))
        .isEqualTo("guests: 3 of 3 in use");
    assertThat(LIMITS.exceededBy(new QuotaLimits(1, 7, 0, 0), 2, 1, 1))
        .isEqualTo("cores: 7 of 8 in use, 2 more asked");
    assertThat(LIMITS.exceededBy(new QuotaLimits(1, 0, 16000, 0), 1, 1024, 1))
        .isEqualTo("memory: 16000 of 16384 MiB in use, 1024 MiB more asked");
    assertThat(LIMITS.exceededBy(new QuotaLimits(1, 0, 0, 190), 1, 1, 20))
        .isEqualTo("disk: 190 of 200 GiB in use, 20 GiB more asked");
  }

  @Test
  void aLoweredQuotaNoLongerCoversWhatIsInUse() {
    assertThat(LIMITS.covers(new QuotaLimits(3, 8, 16384, 200))).isTrue();
    assertThat(new QuotaLimits(1, 8, 16384, 200).covers(new QuotaLimits(2, 2, 2, 2))).isFalse();
  }

  @Test
  void refusesNegativeLimits() {
    assertThatThrownBy(() -> new QuotaLimits(-1, 0, 0, 0)).hasMessageContaining("0 or more");
  }
}
