package org.berth.hypervisor.simulator;

import java.util.function.Supplier;

/**
 * One asynchronous task (a Proxmox worker): it runs until its end time, then does its work, which
 * answers null when it succeeds or the error that becomes the exit status.
 */
final class Task {

  final String upid;
  final String node;
  final int pid;
  final long pstart;
  final long starttime;
  final String type;
  final String id;
  final String user;
  final long endNanos;
  final long sequence;
  private final Supplier<String> work;
  private final Runnable undo;
  private final String injectedFailure;
  String exitStatus;
  long endtime;

  Task(
      String node,
      int pid,
      long pstart,
      long starttime,
      String type,
      String id,
      String user,
      long endNanos,
      long sequence,
      Supplier<String> work,
      Runnable undo,
      String injectedFailure) {
    this.node = node;
    this.pid = pid;
    this.pstart = pstart;
    this.starttime = starttime;
    this.type = type;
    this.id = id;
    this.user = user;
    this.endNanos = endNanos;
    this.sequence = sequence;
    this.work = work;
    this.undo = undo;
    this.injectedFailure = injectedFailure;
    this.upid =
        String.format(
            "UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node, pid, pstart, starttime, type, id, user);
  }

  boolean running() {
    return exitStatus == null;
  }

  /** Ends the task: an injected failure undoes what the request did at once and skips the work. */
  void finish() {
    endtime = System.currentTimeMillis() / 1000;
    if (injectedFailure != null) {
      undo.run();
      exitStatus = injectedFailure;
      return;
    }
    String error;
    try {
      error = work.get();
    } catch (ProxmoxError e) {
      error = e.getMessage();
    }
    exitStatus = error == null ? "OK" : error;
  }

  /** The task as Proxmox's task status answers it. */
  jakarta.json.JsonObjectBuilder json() {
    jakarta.json.JsonObjectBuilder b =
        jakarta.json.Json.createObjectBuilder()
            .add("upid", upid)
            .add("node", node)
            .add("pid", pid)
            .add("pstart", pstart)
            .add("starttime", starttime)
            .add("type", type)
            .add("id", id)
            .add("user", user)
            .add("status", running() ? "running" : "stopped");
    if (!running()) {
      b.add("exitstatus", exitStatus);
    }
    return b;
  }
}
