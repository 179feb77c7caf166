package org.berth.provisioning.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.berth.platform.value.GuestPlace;
import org.junit.jupiter.api.Test;

class ProvisioningTest {

  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void stepsGoInOrderAndAnExecutionThatFallsBehindChangesNothing() {
    Provisioning p = Provisioning.begun(7, T0);
    assertThat(p.step()).isEqualTo(Step.PLACE);
    p.placed(T0);
    assertThat(p.step()).isEqualTo(Step.CREATE);
    assertThat(p.holdsSlot()).isTrue();
    assertThatThrownBy(() -> p.placed(T0)).hasMessageContaining("placed already");

    assertThat(p.attemptFailed(T0)).isEqualTo(1);
    assertThat(p.attemptFailed(T0)).isEqualTo(2);
    assertThat(p.advance(Step.CREATE, Step.CONFIGURE, T0)).isTrue();
    assertThat(p.attempts()).as("a new step starts counting again").isZero();
    assertThat(p.advance(Step.CREATE, Step.START, T0)).as("an execution still at CREATE").isFalse();
    assertThat(p.step()).isEqualTo(Step.CONFIGURE);
  }

  @Test
  void theTimesOfEveryExecutionAddUpAndReadinessFreesTheSlot() {
    Provisioning p = Provisioning.begun(7, T0);
    p.placed(T0);
    p.add(Duration.ofMillis(30), Duration.ofMillis(2000));
    Provisioning.Times total = p.ready(Duration.ofMillis(12), Duration.ofMillis(500), T0);
    assertThat(total.own()).isEqualTo(Duration.ofMillis(42));
    assertThat(total.hypervisor()).isEqualTo(Duration.ofMillis(2500));
    assertThat(p.step()).isEqualTo(Step.DONE);
    assertThat(p.holdsSlot()).isFalse();
  }

  @Test
  void aRetryStartsAtPlacementWithoutASlot() {
    Provisioning p = Provisioning.begun(7, T0);
    p.placed(T0);
    p.attemptFailed(T0);
    p.releaseSlot(T0);
    p.restart(T0);
    assertThat(p.step()).isEqualTo(Step.PLACE);
    assertThat(p.attempts()).isZero();
    assertThat(p.holdsSlot()).isFalse();
  }

  @Test
  void aFindingIsAboutAGuestAndSaysWhatIsDifferent() {
    GuestPlace at = new GuestPlace("pve1", 120);
    ReconciliationFinding f =
        new ReconciliationFinding(
            ReconciliationFinding.Kind.UNKNOWN, null, at, "VMID 120 is nobody's", T0);
    assertThat(f.place()).isEqualTo(at);
    assertThatThrownBy(
            () ->
                new ReconciliationFinding(ReconciliationFinding.Kind.MISSING, null, at, "gone", T0))
        .hasMessageContaining("is about a request");
    assertThatThrownBy(
            () -> new ReconciliationFinding(ReconciliationFinding.Kind.MOVED, 3L, at, " ", T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReconciliationRun.failed(T0, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReconciliationRun.completed(T0, -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
