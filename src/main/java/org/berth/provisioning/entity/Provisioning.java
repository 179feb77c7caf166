package org.berth.provisioning.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/**
 * Where one request's provisioning stands, so that a job picked up again (on this instance or
 * another, after a crash) goes on from the step it reached: the step, failed attempts at it in a
 * row, whether it holds a slot on its node, and where the time went (Berth's own work and waiting
 * on the hypervisor, over every execution). Each verb checks the step it expects; callers hold the
 * row locked for their transaction.
 */
@Entity
@Table(name = "provisioning")
public class Provisioning {

  /** Where provisioning's time went: Berth's own work, and waiting on hypervisor calls. */
  public record Times(Duration own, Duration hypervisor) {}

  @Id
  @Column(name = "request_id")
  private long requestId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Step step;

  @Column(name = "holds_slot", nullable = false)
  private boolean holdsSlot;

  @Column(nullable = false)
  private int attempts;

  @Column(name = "own_micros", nullable = false)
  private long ownMicros;

  @Column(name = "hypervisor_micros", nullable = false)
  private long hypervisorMicros;

  @Column(nullable = false, updatable = false)
  private Instant started;

  @Column(nullable = false)
  private Instant updated;

  protected Provisioning() {}

  /** Provisioning of request {@code requestId} begins: placement comes first. */
  public static Provisioning begun(long requestId, Instant now) {
    Provisioning p = new Provisioning();
    p.requestId = requestId;
    p.step = Step.PLACE;
    p.started = now;
    p.updated = now;
    return p;
  }

  /** Placement is done: the request holds a slot on its node, and creation comes next. */
  public void placed(Instant now) {
    if (step != Step.PLACE) {
      throw new IllegalStateException(
          "request " + requestId + " is at " + step + ", not placement; it is placed already");
    }
    holdsSlot = true;
    moveTo(Step.CREATE, now);
  }

  /**
   * {@code done} is finished and {@code next} comes; false, changing nothing, when provisioning is
   * not at {@code done} (another execution went on already).
   */
  public boolean advance(Step done, Step next, Instant now) {
    if (step != done) {
      return false;
    }
    moveTo(next, now);
    return true;
  }

  /** Counts a failed attempt at the current step; returns how many there have been in a row. */
  public int attemptFailed(Instant now) {
    attempts++;
    updated = now;
    return attempts;
  }

  /** The guest runs: provisioning is done, the slot free, and the times of this execution added. */
  public Times ready(Duration own, Duration hypervisor, Instant now) {
    add(own, hypervisor);
    holdsSlot = false;
    moveTo(Step.DONE, now);
    return times();
  }

  /** Adds one execution's times. */
  public void add(Duration own, Duration hypervisor) {
    ownMicros += own.toNanos() / 1000;
    hypervisorMicros += hypervisor.toNanos() / 1000;
  }

  /** Frees the slot on the node (the guest runs, or provisioning stopped). */
  public void releaseSlot(Instant now) {
    if (holdsSlot) {
      holdsSlot = false;
      updated = now;
    }
  }

  /** A failed request is tried again: placement comes first (keeping its node and VMID). */
  public void restart(Instant now) {
    holdsSlot = false;
    moveTo(Step.PLACE, now);
  }

  private void moveTo(Step next, Instant now) {
    step = next;
    attempts = 0;
    updated = now;
  }

  public Step step() {
    return step;
  }

  public int attempts() {
    return attempts;
  }

  public boolean holdsSlot() {
    return holdsSlot;
  }

  public Times times() {
    return new Times(Duration.ofNanos(ownMicros * 1000), Duration.ofNanos(hypervisorMicros * 1000));
  }
}
