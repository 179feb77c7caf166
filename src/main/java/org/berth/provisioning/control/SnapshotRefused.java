package org.berth.provisioning.control;

import org.berth.platform.refusal.Refusal;

/** A snapshot action that cannot be asked for now, with the reason. */
public class SnapshotRefused extends Refusal {
  private static final long serialVersionUID = 1L;

  private SnapshotRefused(Kind kind, String code, String message) {
    super(kind, code, message);
  }

  private SnapshotRefused(Kind kind, String code, String field, String rule) {
    super(kind, code, field, rule);
  }

  /** A name that breaks the rule of snapshot names. */
  public static SnapshotRefused badName() {
    return new SnapshotRefused(
        Kind.INVALID,
        "invalid_input",
        "name",
        "must be 2 to 40 characters: a lower-case letter, then lower-case letters, digits, '-' or"
            + " '_'; not current, vzdump or pending");
  }

  /** The state of the guest or of its snapshots does not allow it. */
  public static SnapshotRefused conflict(String message) {
    return new SnapshotRefused(Kind.CONFLICT, "snapshot_conflict", message);
  }

  /**
   * The guest has no snapshot of that name: a conflict with the guest's state, since a 404 on a
   * request's endpoints means the request is not the caller's.
   */
  public static SnapshotRefused unknown(long id, String name) {
    return new SnapshotRefused(
        Kind.CONFLICT,
        "no_such_snapshot",
        "The guest of request " + id + " has no snapshot " + name);
  }

  /** The hypervisor could not be asked; trying again later may work. */
  public static SnapshotRefused unavailable(String why) {
    return new SnapshotRefused(
        Kind.UNAVAILABLE, "hypervisor_unavailable", "The hypervisor cannot be reached: " + why);
  }
}
