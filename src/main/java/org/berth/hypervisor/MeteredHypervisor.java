package org.berth.hypervisor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A hypervisor whose calls are timed into {@code berth_hypervisor_calls_seconds}, by operation and
 * outcome ({@code ok} or {@code error}): how long Proxmox's API and tasks take, and how often they
 * fail. The timers of every operation exist from the start, at zero.
 */
public final class MeteredHypervisor implements Hypervisor {

  /** The calls that reach the hypervisor, as the metric's {@code operation} label spells them. */
  enum Operation {
    CLUSTER,
    STATUS,
    CREATE,
    CONFIGURE,
    START,
    SHUTDOWN,
    STOP,
    REBOOT,
    DELETE,
    SNAPSHOTS,
    SNAPSHOT,
    ROLLBACK,
    DELETE_SNAPSHOT;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static final String METRIC = "berth_hypervisor_calls";

  private final Hypervisor target;
  private final Map<Operation, Timer> ok = new EnumMap<>(Operation.class);
  private final Map<Operation, Timer> error = new EnumMap<>(Operation.class);

  /**
   * @param kind the {@code hypervisor} label: {@code proxmox} (the simulated cluster speaks
   *     Proxmox's API too)
   */
  public MeteredHypervisor(Hypervisor target, String kind, MeterRegistry registry) {
    this.target = target;
    for (Operation op : Operation.values()) {
      ok.put(op, timer(registry, kind, op, "ok"));
      error.put(op, timer(registry, kind, op, "error"));
    }
  }

  private static Timer timer(MeterRegistry registry, String kind, Operation op, String outcome) {
    return Timer.builder(METRIC)
        .description("Calls to the hypervisor, with the tasks they wait for")
        .tags("hypervisor", kind, "operation", op.label(), "outcome", outcome)
        .register(registry);
  }

  private <T> T timed(Operation op, Supplier<T> call) {
    long start = System.nanoTime();
    boolean done = false;
    try {
      T result = call.get();
      done = true;
      return result;
    } finally {
      (done ? ok : error).get(op).record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private void timed(Operation op, Runnable call) {
    timed(
        op,
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public String description() {
    return target.description();
  }

  @Override
  public boolean simulated() {
    return target.simulated();
  }

  @Override
  public java.util.Optional<String> templateProblem(GuestType type, String ref) {
    return target.templateProblem(type, ref);
  }

  @Override
  public Cluster cluster() {
    return timed(Operation.CLUSTER, target::cluster);
  }

  @Override
  public Optional<GuestStatus> status(GuestRef ref) {
    return timed(Operation.STATUS, () -> target.status(ref));
  }

  @Override
  public void create(GuestSpec spec) {
    timed(Operation.CREATE, () -> target.create(spec));
  }

  @Override
  public void configure(GuestSpec spec) {
    timed(Operation.CONFIGURE, () -> target.configure(spec));
  }

  @Override
  public void start(GuestRef ref) {
    timed(Operation.START, () -> target.start(ref));
  }

  @Override
  public void shutdown(GuestRef ref, Duration timeout) {
    timed(Operation.SHUTDOWN, () -> target.shutdown(ref, timeout));
  }

  @Override
  public void stop(GuestRef ref) {
    timed(Operation.STOP, () -> target.stop(ref));
  }

  @Override
  public void reboot(GuestRef ref) {
    timed(Operation.REBOOT, () -> target.reboot(ref));
  }

  @Override
  public void delete(GuestRef ref) {
    timed(Operation.DELETE, () -> target.delete(ref));
  }

  @Override
  public boolean snapshotsWhileRunning(org.berth.hypervisor.GuestType type) {
    return target.snapshotsWhileRunning(type);
  }

  @Override
  public java.util.List<Snapshot> snapshots(GuestRef ref) {
    return timed(Operation.SNAPSHOTS, () -> target.snapshots(ref));
  }

  @Override
  public void snapshot(GuestRef ref, String name, String description) {
    timed(Operation.SNAPSHOT, () -> target.snapshot(ref, name, description));
  }

  @Override
  public void rollback(GuestRef ref, String name) {
    timed(Operation.ROLLBACK, () -> target.rollback(ref, name));
  }

  @Override
  public void deleteSnapshot(GuestRef ref, String name) {
    timed(Operation.DELETE_SNAPSHOT, () -> target.deleteSnapshot(ref, name));
  }

  @Override
  public boolean offersConsoles() {
    return target.offersConsoles();
  }

  /** A console lasts as long as a person uses it: its opening is not timed. */
  @Override
  public GuestConsole console(GuestRef ref) {
    return target.console(ref);
  }
}
