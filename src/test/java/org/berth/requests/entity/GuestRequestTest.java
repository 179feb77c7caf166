package org.berth.requests.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.berth.platform.value.GuestPlace;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;
import org.berth.testing.TestRequests;
import org.junit.jupiter.api.Test;

class GuestRequestTest {

  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final Template DEBIAN = TestRequests.debianVm();

  static GuestRequest submitted() {
    return TestRequests.onLedger(DEBIAN, "web-1", "pvm001.example.com", 14, T0);
  }

  static GuestRequest natSubmitted() {
    return TestRequests.onNat(DEBIAN, "web-2", 8080, 14, "testing", T0);
  }

  @Test
  void aNatGuestKeepsItsAddressUntilItIsDeletedAndThenReleasesIt() {
    GuestRequest r = natSubmitted();
    r.approve("admin", null, T0);
    r.assignNatAddress(Ipv4Address.parse("10.77.0.5"), MacAddress.of("02:BE:27:00:00:05"), T0);
    r.assignNatAddress(Ipv4Address.parse("10.77.0.5"), MacAddress.of("02:be:27:00:00:05"), T0);
    assertThatThrownBy(
            () ->
                r.assignNatAddress(
                    Ipv4Address.parse("10.77.0.6"), MacAddress.of("02:BE:27:00:00:06"), T0))
        .hasMessageContaining("has its NAT address already");
    r.startProvisioning("berth", T0);
    r.markReady(new GuestPlace("sim1", 10000), T0);
    r.beginDeletion("alice", null, T0);
    assertThat(r.addressReleasedAt()).isNull();
    r.markDeleted(T0.plusSeconds(5));
    assertThat(r.ipv4()).hasToString("10.77.0.5");
    assertThat(r.addressReleasedAt()).isEqualTo(T0.plusSeconds(5));
    assertThatThrownBy(
            () ->
                r.assignNatAddress(
                    Ipv4Address.parse("10.77.0.5"), MacAddress.of("02:BE:27:00:00:05"), T0))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aLedgerRequestTakesNoNatAddress() {
    assertThatThrownBy(
            () ->
                submitted()
                    .assignNatAddress(
                        Ipv4Address.parse("10.77.0.5"), MacAddress.of("02:BE:27:00:00:05"), T0))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void submissionIsTheFirstAuditEvent() {
    GuestRequest r = submitted();

    assertThat(r.state()).isEqualTo(RequestState.SUBMITTED);
    assertThat(r.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("alice");
              assertThat(e.from()).isNull();
              assertThat(e.to()).isEqualTo(RequestState.SUBMITTED);
            });
  }

  @Test
  void approvalStartsTheLeaseAndIsAudited() {
    GuestRequest r = submitted();
    r.approve("admin", null, T0.plusSeconds(60));

    assertThat(r.state()).isEqualTo(RequestState.APPROVED);
    assertThat(r.leaseEnds()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofDays(14)));
    assertThat(r.events())
        .last()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("admin");
              assertThat(e.from()).isEqualTo(RequestState.SUBMITTED);
              assertThat(e.to()).isEqualTo(RequestState.APPROVED);
              assertThat(e.at()).isEqualTo(T0.plusSeconds(60));
            });
  }

  @Test
  void rejectionNeedsAReasonAndEndsTheRequest() {
    GuestRequest r = submitted();
    assertThatThrownBy(() -> r.reject("admin", " ", T0)).hasMessageContaining("reason");
    assertThat(r.state()).isEqualTo(RequestState.SUBMITTED);

    r.reject("admin", "too big", T0);

    assertThat(r.state()).isEqualTo(RequestState.REJECTED);
    assertThat(r.reason()).isEqualTo("too big");
    assertThat(r.holdsAddressItNoLongerNeeds()).isTrue();
    assertThat(r.events()).last().extracting(RequestEvent::reason).isEqualTo("too big");
  }

  @Test
  void refusesIllegalTransitionsAndLeavesNoTrace() {
    GuestRequest r = submitted();
    r.reject("admin", "no", T0);

    assertThatThrownBy(() -> r.approve("admin", null, T0))
        .isInstanceOf(IllegalTransition.class)
        .hasMessageContaining("is rejected and cannot be approved");
    assertThatThrownBy(() -> r.markReady(new GuestPlace("pve1", 101), T0))
        .isInstanceOf(IllegalTransition.class);
    assertThat(r.state()).isEqualTo(RequestState.REJECTED);
    assertThat(r.events()).hasSize(2);
  }

  @Test
  void followsTheWholeLifeOfAGuest() {
    GuestRequest r = submitted();
    r.approve("admin", null, T0);
    r.startProvisioning("berth", T0);
    r.markReady(new GuestPlace("pve1", 101), T0);
    r.expire(T0);
    r.beginDeletion("berth", "grace over", T0);
    assertThat(r.state()).isEqualTo(RequestState.DELETING);
    r.markDeleted(T0);

    assertThat(r.events())
        .extracting(RequestEvent::to)
        .containsExactly(
            RequestState.SUBMITTED,
            RequestState.APPROVED,
            RequestState.PROVISIONING,
            RequestState.READY,
            RequestState.EXPIRED,
            RequestState.DELETING,
            RequestState.DELETED);
  }

  @Test
  void deletingARequestWithoutAGuestEndsAtOnce() {
    GuestRequest r = submitted();
    r.approve("admin", null, T0);
    r.startProvisioning("berth", T0);
    r.fail("hypervisor down", T0);
    r.beginDeletion("alice", null, T0);

    assertThat(r.state()).isEqualTo(RequestState.DELETED);
    assertThat(r.events())
        .extracting(RequestEvent::to)
        .endsWith(RequestState.DELETING, RequestState.DELETED);
  }

  @Test
  void extendsOnlyARunningLeaseAndOnlyForward() {
    GuestRequest r = submitted();
    assertThatThrownBy(() -> r.extendLease("alice", T0.plus(Duration.ofDays(30)), T0))
        .isInstanceOf(IllegalTransition.class);
    r.approve("admin", null, T0);
    r.leaseWarned(7);
    assertThatThrownBy(() -> r.extendLease("alice", T0.plus(Duration.ofDays(1)), T0))
        .hasMessageContaining("after the current one");

    r.extendLease("alice", T0.plus(Duration.ofDays(20)), T0);

    assertThat(r.leaseEnds()).isEqualTo(T0.plus(Duration.ofDays(20)));
    assertThat(r.leaseWarnedDays()).isNull();
    assertThat(r.events())
        .last()
        .extracting(RequestEvent::reason)
        .asString()
        .startsWith("lease extended");
  }

  @Test
  void everyStateHasItsMovesAndTerminalStatesHaveNone() {
    for (RequestState s : RequestState.values()) {
      assertThat(s.terminal()).isEqualTo(s.next().isEmpty());
    }
    assertThat(RequestState.live())
        .isEqualTo(
            EnumSet.complementOf(
                EnumSet.of(RequestState.DELETED, RequestState.REJECTED, RequestState.CANCELLED)));
  }
}
