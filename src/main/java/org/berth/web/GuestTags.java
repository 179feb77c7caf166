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
