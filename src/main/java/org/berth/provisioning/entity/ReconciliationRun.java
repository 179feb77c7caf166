package org.berth.provisioning.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One run of reconciliation: when, how many of Berth's guests the cluster showed and how many
 * findings there were, or why the cluster could not be read (then the findings stay as they were).
 */
@Entity
@Table(name = "reconciliation_run")
public class ReconciliationRun {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, updatable = false)
  private Instant at;

  @Column(nullable = false, updatable = false)
  private int guests;

  @Column(nullable = false, updatable = false)
  private int findings;

  @Column(updatable = false)
  private String error;

  protected ReconciliationRun() {}

  /** A run that read the cluster. */
  public static ReconciliationRun completed(Instant at, int guests, int findings) {
    if (guests < 0 || findings < 0) {
      throw new IllegalArgumentException("a run counts 0 or more guests and findings");
    }
    ReconciliationRun r = new ReconciliationRun();
    r.at = at;
    r.guests = guests;
    r.findings = findings;
    return r;
  }

  /** A run that could not read the cluster, and why. */
  public static ReconciliationRun failed(Instant at, String error) {
    if (error == null || error.isBlank()) {
      throw new IllegalArgumentException("a failed run says why");
    }
    ReconciliationRun r = new ReconciliationRun();
    r.at = at;
    r.error = error;
    return r;
  }

  public Instant at() {
    return at;
  }

  public int guests() {
    return guests;
  }

  public String error() {
    return error;
  }
}
