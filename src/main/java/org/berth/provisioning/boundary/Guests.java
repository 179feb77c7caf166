package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.PowerState;
import org.berth.identity.Account;
import org.berth.provisioning.boundary.Provisioner.PowerAction;
import org.berth.requests.boundary.GuestLog;
import org.berth.requests.boundary.GuestLog.Line;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.entity.IllegalTransition;
import org.berth.requests.entity.RequestState;

/**
 * A request's guest for its owner and admins: where it is, its live power state, its provisioning
 * log, and the power actions. Anyone else's guest is reported as not existing.
 */
@ApplicationScoped
public class Guests {

  @Inject Requests requests;
  @Inject ProvisioningStore store;
  @Inject GuestLog guestLog;
  @Inject ProvisioningJobs jobs;
  @Inject Hypervisor hypervisor;

  /**
   * A guest as its page shows it.
   *
   * @param power the live power state, or null when the request has no guest
   * @param statusProblem why the live state is unknown, or null
   */
  public record Detail(
      RequestView request, GuestRef ref, PowerState power, String statusProblem, List<Line> log) {

    public boolean running() {
      return power == PowerState.RUNNING;
    }
  }

  public Detail detail(long id, Account caller) {
    RequestView r = requests.find(id, caller);
    List<Line> log = guestLog.lines(id);
    if (r.guest() == null || r.state().terminal()) {
      return new Detail(r, null, null, null, log);
    }
    GuestRef ref = GuestRef.at(ProvisioningStore.typeOf(r.kind()), r.guest());
    try {
      Optional<GuestStatus> live = hypervisor.status(ref);
      if (live.isEmpty() || !live.get().carries(id)) {
        // While Berth creates the guest, its absence is expected, not a problem to show.
        return creating(r.state())
            ? new Detail(r, ref, null, null, log)
            : new Detail(r, ref, null, "the hypervisor has no such guest", log);
      }
      return new Detail(r, ref, live.get().power(), null, log);
    } catch (HypervisorFailure e) {
      return new Detail(r, ref, PowerState.UNKNOWN, e.getMessage(), log);
    }
  }

  private static boolean creating(RequestState state) {
    return state == RequestState.APPROVED || state == RequestState.PROVISIONING;
  }

  /** Whether a guest in {@code state} may take {@code action}: the one rule pages and API ask. */
  public static boolean allows(RequestState state, PowerAction action) {
    return action.takesDown() ? state.allowsShutdown() : state.allowsPower();
  }

  /**
   * Asks for a power action; it runs as a job right after this returns. The owner or an admin may,
   * on a READY guest (shutting down also on an EXPIRED one).
   */
  @Transactional
  public RequestView power(long id, PowerAction action, Account caller) {
    store.lockRequest(id);
    RequestView r = requests.find(id, caller);
    boolean allowed = allows(r.state(), action);
    if (!allowed) {
      throw new IllegalTransition(id, r.state(), action.verb());
    }
    if (!jobs.schedulePower(id, action)) {
      throw new IllegalTransition(
          id, r.state(), action.verb() + " while two power actions are under way; try again soon");
    }
    return r;
  }
}
