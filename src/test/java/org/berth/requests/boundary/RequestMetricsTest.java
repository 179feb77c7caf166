package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.RequestState;
import org.junit.jupiter.api.Test;

/** Approvals and rejections are counted from the moves that commit, and a retry is none. */
class RequestMetricsTest {

  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  RequestMetrics metrics = new RequestMetrics();

  RequestMetricsTest() {
    metrics.registry = registry;
    metrics.create();
  }

  void moved(RequestState from, RequestState to, String actor) {
    metrics.onChange(new RequestChanged(1, to, from, actor, Instant.now()));
  }

  double approved(String by) {
    return registry.get("berth_requests_approved").tag("by", by).counter().count();
  }

  @Test
  void approvalsAreCountedByWhoApprovedAndARetryIsNoApproval() {
    moved(RequestState.SUBMITTED, RequestState.APPROVED, "admin");
    moved(RequestState.SUBMITTED, RequestState.APPROVED, GuestRequest.BERTH);
    moved(RequestState.FAILED, RequestState.APPROVED, "alice");
    moved(RequestState.SUBMITTED, RequestState.REJECTED, "admin");

    assertThat(approved("admin")).isEqualTo(1);
    assertThat(approved("auto")).isEqualTo(1);
    assertThat(registry.get("berth_requests_rejected").counter().count()).isEqualTo(1);
  }
}
