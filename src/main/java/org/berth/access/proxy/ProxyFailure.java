package org.berth.access.proxy;

/**
 * A proxy change that did not take effect. The proxy still serves what it served before the call
 * (writers restore their previous state). {@link #transientFailure()} says whether trying again may
 * help (the proxy was unreachable or busy) or something must be fixed first (the proxy refused its
 * configuration). The message is fit for an operator's log and never holds a credential.
 */
public class ProxyFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean transientFailure;

  public ProxyFailure(String reason, boolean transientFailure) {
    super(reason);
    this.transientFailure = transientFailure;
  }

  public ProxyFailure(String reason, boolean transientFailure, Throwable cause) {
    super(reason, cause);
    this.transientFailure = transientFailure;
  }

  public boolean transientFailure() {
    return transientFailure;
  }
}
