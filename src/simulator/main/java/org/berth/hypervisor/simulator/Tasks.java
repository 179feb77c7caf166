package org.berth.hypervisor.simulator;

import jakarta.json.JsonArrayBuilder;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cluster's asynchronous tasks by UPID: the newest {@value #LIMIT} are kept (running ones
 * always), and those whose time has come finish in the order they were due. The cluster asks under
 * its own lock.
 */
final class Tasks {

  static final int LIMIT = 10_000;

  private static final Pattern UPID =
      Pattern.compile(
          "UPID:[^:]+:[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8,}:[0-9A-Fa-f]{8}:[^:]+:[^:]*:[^:]+:");

  private final Map<String, Task> byUpid = new LinkedHashMap<>();
  private final long bootNanos;
  private long sequence;

  Tasks(long bootNanos) {
    this.bootNanos = bootNanos;
  }

  /** The number the next task gets, so that tasks due at once finish in the order they began. */
  long nextSequence() {
    return ++sequence;
  }

  void add(Task task) {
    byUpid.put(task.upid, task);
    if (byUpid.size() > LIMIT) {
      byUpid.values().stream()
          .filter(t -> !t.running())
          .findFirst()
          .ifPresent(t -> byUpid.remove(t.upid));
    }
  }

  /** Finishes every task whose end time has come, earliest first. */
  void settle() {
    long now = System.nanoTime();
    List<Task> due =
        byUpid.values().stream()
            .filter(t -> t.running() && t.endNanos - now <= 0)
            .sorted(
                Comparator.comparingLong((Task t) -> t.endNanos - bootNanos)
                    .thenComparingLong(t -> t.sequence))
            .toList();
    due.forEach(Task::finish);
  }

  /**
   * The task {@code upid} on {@code node}.
   *
   * @throws ProxmoxError as Proxmox answers a malformed UPID
   */
  Optional<Task> get(String node, String upid) {
    if (!UPID.matcher(upid).matches()) {
      throw ProxmoxError.parameter("upid", "unable to parse worker upid '" + upid + "'");
    }
    return Optional.ofNullable(byUpid.get(upid)).filter(t -> t.node.equals(node));
  }

  void clear() {
    byUpid.clear();
  }

  JsonArrayBuilder json() {
    JsonArrayBuilder list = jakarta.json.Json.createArrayBuilder();
    byUpid.values().forEach(t -> list.add(t.json()));
    return list;
  }
}
