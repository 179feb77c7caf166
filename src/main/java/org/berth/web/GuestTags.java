package org.berth.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.PowerState;
import org.berth.requests.boundary.GuestLog.Outcome;

/**
 * How pages show a guest ({@code #{guestTags}}): the word for its type, and the words and tag
 * colours of its power state and of the outcomes in its provisioning log.
 */
@Named
@ApplicationScoped
public class GuestTags {

  @jakarta.inject.Inject org.berth.provisioning.boundary.GuestPowers powers;

  /**
   * The power state a list shows for a request: that of its guest while it has one that runs or may
   * run (READY or EXPIRED), otherwise null.
   */
  public PowerState listed(org.berth.requests.boundary.RequestView r) {
    if (r.state() != org.berth.requests.entity.RequestState.READY
        && r.state() != org.berth.requests.entity.RequestState.EXPIRED) {
      return null;
    }
    return powers.of(r.id()).orElse(null);
  }

  /**
   * How far away a lease's end is, in words: "in 5 days", "in 3 hours", "in 20 minutes", or
   * "ended"; empty without an end.
   */
  public String leaseLeft(java.time.Instant end) {
    if (end == null) {
      return "";
    }
    java.time.Duration left = java.time.Duration.between(java.time.Instant.now(), end);
    if (left.isNegative() || left.isZero()) {
      return Messages.text("lease.ended");
    }
    if (left.toDays() >= 2) {
      return Messages.text("lease.inDays", left.toDays());
    }
    if (left.toHours() >= 2) {
      return Messages.text("lease.inHours", left.toHours());
    }
    return Messages.text("lease.inMinutes", Math.max(1, left.toMinutes()));
  }

  /** The word for a guest's type. */
  public String type(GuestType type) {
    return Messages.text("guest.type." + type.name());
  }

  /** The word for a power state; no state (the hypervisor has no such guest) reads as unknown. */
  public String power(PowerState power) {
    return Messages.text("guest.power." + (power == null ? PowerState.UNKNOWN : power).name());
  }

  /** The {@code p:tag} severity of a power state. */
  public String powerSeverity(PowerState power) {
    if (power == null) {
      return "warning";
    }
    return switch (power) {
      case RUNNING -> "success";
      case STOPPED -> "secondary";
      case UNKNOWN -> "warning";
    };
  }

  /** The word for an outcome in the provisioning log. */
  public String outcome(Outcome outcome) {
    return Messages.text("guest.outcome." + outcome.name());
  }

  /** The {@code p:tag} severity of an outcome in the provisioning log. */
  public String outcomeSeverity(Outcome outcome) {
    return switch (outcome) {
      case STARTED -> "info";
      case DONE -> "success";
      case RETRY -> "warning";
      case FAILED -> "danger";
      case NOTE -> "secondary";
    };
  }
}
