package org.berth.requests.entity;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a request and the moves between them:
 *
 * <pre>
 * SUBMITTED ──approve──&gt; APPROVED ──&gt; PROVISIONING ──&gt; READY ──lease ends──&gt; EXPIRED ──grace──&gt; DELETING ──&gt; DELETED
 *     │ reject/cancel        │ cancel      │ fails          │ delete ───────────────────────┘
 *     v                      v             v
 *  REJECTED / CANCELLED   CANCELLED     FAILED (retry or delete)
 * </pre>
 *
 * An approved request whose lease ends before its guest exists expires too; a request being
 * provisioned may expire or be deleted, and the provisioning job then stops at its next step.
 */
public enum RequestState {
  SUBMITTED,
  APPROVED,
  PROVISIONING,
  READY,
  EXPIRED,
  DELETING,
  DELETED,
  REJECTED,
  CANCELLED,
  FAILED;

  /** The states a request in this state may move to. */
  public Set<RequestState> next() {
    return switch (this) {
      case SUBMITTED -> EnumSet.of(APPROVED, REJECTED, CANCELLED);
      case APPROVED -> EnumSet.of(PROVISIONING, CANCELLED, EXPIRED);
      case PROVISIONING -> EnumSet.of(READY, FAILED, EXPIRED, DELETING);
      case READY -> EnumSet.of(EXPIRED, DELETING);
      case EXPIRED -> EnumSet.of(DELETING);
      case FAILED -> EnumSet.of(APPROVED, DELETING);
      case DELETING -> EnumSet.of(DELETED);
      case DELETED, REJECTED, CANCELLED -> EnumSet.noneOf(RequestState.class);
    };
  }

  public boolean canMoveTo(RequestState target) {
    return next().contains(target);
  }

  /** Whether the request is over: its name is free again and it counts against no quota. */
  public boolean terminal() {
    return this == DELETED || this == REJECTED || this == CANCELLED;
  }

  /** Whether its guest may be started and rebooted (and shut down): it is READY. */
  public boolean allowsPower() {
    return this == READY;
  }

  /** Whether its guest may be shut down: READY, or EXPIRED and waiting to be deleted. */
  public boolean allowsShutdown() {
    return this == READY || this == EXPIRED;
  }

  /** Whether it may be tried again: provisioning gave up on it. */
  public boolean allowsRetry() {
    return this == FAILED;
  }

  /** The states that count against a quota: every state that is not terminal. */
  public static Set<RequestState> live() {
    return EnumSet.complementOf(EnumSet.of(DELETED, REJECTED, CANCELLED));
  }

  /** A lease runs in these states: it can be extended, warned about and expire. */
  public boolean leaseRuns() {
    return this == APPROVED || this == PROVISIONING || this == READY;
  }

  /** The word pages show. */
  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
