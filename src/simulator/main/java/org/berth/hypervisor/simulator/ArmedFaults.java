package org.berth.hypervisor.simulator;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The faults injected into the cluster, each used up by the requests it matches, in the order they
 * were injected. The cluster asks under its own lock.
 */
final class ArmedFaults {

  private static final class Armed {
    final Fault fault;
    int remaining;

    Armed(Fault fault) {
      this.fault = fault;
      this.remaining = fault.times();
    }
  }

  private final List<Armed> armed = new ArrayList<>();

  void inject(Fault fault) {
    armed.add(new Armed(fault));
  }

  void clear() {
    armed.clear();
  }

  /**
   * Uses up and answers the first fault that matches a request: a task failure when {@code
   * taskFailure}, any other kind otherwise; null when none does.
   */
  Fault take(String method, String path, boolean taskFailure) {
    for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
      Armed a = it.next();
      if ((a.fault.kind() == Fault.Kind.TASK_FAILURE) == taskFailure
          && a.fault.matches(method, path)) {
        if (--a.remaining == 0) {
          it.remove();
        }
        return a.fault;
      }
    }
    return null;
  }

  /** The faults still armed, as the control API shows them. */
  JsonArrayBuilder json() {
    JsonArrayBuilder list = Json.createArrayBuilder();
    for (Armed a : armed) {
      JsonObjectBuilder f =
          Json.createObjectBuilder()
              .add("kind", a.fault.kind().controlName())
              .add("remaining", a.remaining)
              .add("message", a.fault.message())
              .add("delaySeconds", a.fault.delay().toMillis() / 1000.0);
      if (a.fault.method() != null) {
        f.add("method", a.fault.method());
      }
      if (a.fault.path() != null) {
        f.add("path", a.fault.path());
      }
      list.add(f);
    }
    return list;
  }
}
