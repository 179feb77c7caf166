package org.berth.hypervisor;

/**
 * A hypervisor call that did not do what was asked. {@link #transientFailure()} says whether the
 * same call may succeed later (the cluster was unreachable, busy or timed out) or will keep failing
 * until something changes (refused parameters, a failed task, a missing template). The message is
 * the reason shown on the request: what failed and what the hypervisor said, never a credential.
 */
public class HypervisorFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean transientFailure;

  public HypervisorFailure(String reason, boolean transientFailure) {
    super(reason);
    this.transientFailure = transientFailure;
  }

  public HypervisorFailure(String reason, boolean transientFailure, Throwable cause) {
    super(reason, cause);
    this.transientFailure = transientFailure;
  }

  public boolean transientFailure() {
    return transientFailure;
  }
}
