package org.berth.hypervisor;

import java.util.Optional;

/**
 * One guest as the hypervisor sees it.
 *
 * @param requestId the Berth request the guest carries the mark of, or null for a guest that is not
 *     Berth's
 * @param lock an operation that holds the guest (a clone or create still running), or null
 * @param template whether it is a template rather than a guest
 */
public record GuestStatus(
    GuestRef ref,
    String name,
    PowerState power,
    Long requestId,
    String lock,
    boolean template,
    long memoryMib) {

  public boolean berths() {
    return requestId != null;
  }

  public boolean carries(long request) {
    return requestId != null && requestId == request;
  }

  public Optional<String> lockHeld() {
    return Optional.ofNullable(lock);
  }
}
