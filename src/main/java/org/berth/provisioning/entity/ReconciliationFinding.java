package org.berth.provisioning.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import org.berth.platform.value.GuestPlace;

/**
 * One difference the last reconciliation found between Berth's records and the cluster: always
 * about a guest at a place (node and VMID), with a sentence for the admin who acts on it. It stays
 * until the next run replaces the findings or an admin settles it.
 */
@Entity
@Table(name = "reconciliation_finding")
public class ReconciliationFinding {

  /** What a difference is about. */
  public enum Kind {
    /** A request records a guest the cluster does not have (or not as its guest). */
    MISSING,
    /** The cluster has a guest of Berth's that no live request records. */
    UNKNOWN,
    /** A request's guest is on another node than recorded. */
    MOVED,
    /** A guest whose lease has ended still runs. */
    STILL_RUNNING
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, updatable = false)
  private Kind kind;

  @Column(name = "request_id", updatable = false)
  private Long requestId;

  @Column(updatable = false)
  private String node;

  @Column(updatable = false)
  private Integer vmid;

  @Column(nullable = false, updatable = false)
  private String detail;

  @Column(nullable = false, updatable = false)
  private Instant found;

  protected ReconciliationFinding() {}

  /**
   * @param requestId the request the guest belongs to, or null when no request claims it
   * @param place where the guest is (or is recorded to be)
   * @param detail the sentence for the admin, never blank
   */
  public ReconciliationFinding(
      Kind kind, Long requestId, GuestPlace place, String detail, Instant found) {
    if (detail == null || detail.isBlank()) {
      throw new IllegalArgumentException("a finding says what is different");
    }
    if (kind != Kind.UNKNOWN && requestId == null) {
      throw new IllegalArgumentException("a " + kind + " finding is about a request");
    }
    this.kind = Objects.requireNonNull(kind);
    this.requestId = requestId;
    this.node = place.node();
    this.vmid = place.vmid();
    this.detail = detail;
    this.found = Objects.requireNonNull(found);
  }

  public long id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  public Long requestId() {
    return requestId;
  }

  /** Where the guest is, or null for a row written by hand without one. */
  public GuestPlace place() {
    return node == null || vmid == null ? null : new GuestPlace(node, vmid);
  }

  public String node() {
    return node;
  }

  public Integer vmid() {
    return vmid;
  }

  public String detail() {
    return detail;
  }

  public Instant found() {
    return found;
  }
}
