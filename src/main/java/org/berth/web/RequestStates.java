package org.berth.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import org.berth.requests.entity.RequestState;

/** How pages show a request's state ({@code #{requestStates}}): its tag colour, and the choice. */
@Named
@ApplicationScoped
public class RequestStates {

  /** The {@code p:tag} severity of a state. */
  public String severity(RequestState state) {
    if (state == null) {
      return "secondary";
    }
    return switch (state) {
      case SUBMITTED -> "warning";
      case APPROVED, PROVISIONING, DELETING -> "info";
      case READY -> "success";
      case FAILED, REJECTED -> "danger";
      case EXPIRED, DELETED, CANCELLED -> "secondary";
    };
  }

  /**
   * Whether withdrawing a request in this state cancels it (it has no guest yet) rather than
   * deleting its guest: the words of the button and of the question before it.
   */
  public boolean cancels(RequestState state) {
    return state == RequestState.SUBMITTED || state == RequestState.APPROVED;
  }

  /** Every state, in the order of a request's life, for filters. */
  public List<RequestState> getAll() {
    return List.of(RequestState.values());
  }
}
