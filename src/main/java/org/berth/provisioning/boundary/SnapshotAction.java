package org.berth.provisioning.boundary;

/** What the owner of a guest asks of one of its snapshots. */
public enum SnapshotAction {
  TAKE,
  ROLLBACK,
  DELETE;

  /** The states of a request whose guest may take it: a READY one; deleting an EXPIRED one too. */
  public java.util.Set<org.berth.requests.entity.RequestState> allowedIn() {
    return this == DELETE
        ? java.util.Set.of(
            org.berth.requests.entity.RequestState.READY,
            org.berth.requests.entity.RequestState.EXPIRED)
        : java.util.Set.of(org.berth.requests.entity.RequestState.READY);
  }

  /** Its name in the provisioning log. */
  public String step() {
    return switch (this) {
      case TAKE -> "Snapshot";
      case ROLLBACK -> "Rollback";
      case DELETE -> "Delete snapshot";
    };
  }

  /** What the API answers when it has been asked for. */
  public String accepted(String name) {
    return switch (this) {
      case TAKE -> "snapshot " + name + " is being taken";
      case ROLLBACK -> "the guest is being rolled back to snapshot " + name;
      case DELETE -> "snapshot " + name + " is being deleted";
    };
  }

  /** What the audit trail says of it, with the snapshot's name. */
  public String asked(String name) {
    return switch (this) {
      case TAKE -> "asked for snapshot " + name;
      case ROLLBACK -> "asked to roll back to snapshot " + name;
      case DELETE -> "asked to delete snapshot " + name;
    };
  }
}
