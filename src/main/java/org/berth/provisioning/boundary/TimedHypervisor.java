package org.berth.provisioning.boundary;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.Hypervisor;

/**
 * A hypervisor that adds up the time its calls take, for one job execution: the rest of the
 * execution's time is Berth's own work, which the provisioning log reports.
 */
final class TimedHypervisor implements Hypervisor {

  private final Hypervisor target;
  private final long started = System.nanoTime();
  private long waiting;

  TimedHypervisor(Hypervisor target) {
    this.target = target;
  }

  /** Time spent in hypervisor calls so far. */
  Duration hypervisor() {
    return Duration.ofNanos(waiting);
  }

  /** Time spent elsewhere since this execution started. */
  Duration own() {
    return Duration.ofNanos(System.nanoTime() - started - waiting);
  }

  private <T> T timed(Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      waiting += System.nanoTime() - start;
    }
  }

  private void timed(Runnable call) {
    timed(
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public String description() {
    return timed(target::description);
  }

  @Override
  public boolean simulated() {
    return timed(target::simulated);
  }

  @Override
  public java.util.Optional<String> templateProblem(
      org.berth.hypervisor.GuestType type, String ref) {
    return target.templateProblem(type, ref);
  }

  @Override
  public Cluster cluster() {
    return timed(target::cluster);
  }

  @Override
  public Optional<GuestStatus> status(GuestRef ref) {
    return timed(() -> target.status(ref));
  }

  @Override
  public void create(GuestSpec spec) {
    timed(() -> target.create(spec));
  }

  @Override
  public void configure(GuestSpec spec) {
    timed(() -> target.configure(spec));
  }

  @Override
  public void start(GuestRef ref) {
    timed(() -> target.start(ref));
  }

  @Override
  public void shutdown(GuestRef ref, Duration timeout) {
    timed(() -> target.shutdown(ref, timeout));
  }

  @Override
  public void stop(GuestRef ref) {
    timed(() -> target.stop(ref));
  }

  @Override
  public void reboot(GuestRef ref) {
    timed(() -> target.reboot(ref));
  }

  @Override
  public void delete(GuestRef ref) {
    timed(() -> target.delete(ref));
  }

  @Override
  public boolean snapshotsWhileRunning(org.berth.hypervisor.GuestType type) {
    return target.snapshotsWhileRunning(type);
  }

  @Override
  public java.util.List<org.berth.hypervisor.Snapshot> snapshots(GuestRef ref) {
    return timed(() -> target.snapshots(ref));
  }

  @Override
  public void snapshot(GuestRef ref, String name, String description) {
    timed(() -> target.snapshot(ref, name, description));
  }

  @Override
  public void rollback(GuestRef ref, String name) {
    timed(() -> target.rollback(ref, name));
  }

  @Override
  public void deleteSnapshot(GuestRef ref, String name) {
    timed(() -> target.deleteSnapshot(ref, name));
  }

  @Override
  public boolean offersConsoles() {
    return target.offersConsoles();
  }

  @Override
  public org.berth.hypervisor.GuestConsole console(GuestRef ref) {
    return target.console(ref);
  }
}
