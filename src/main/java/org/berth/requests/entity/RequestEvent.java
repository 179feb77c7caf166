package org.berth.requests.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** One line of the audit trail: who moved a request from which state to which, when and why. */
@Entity
@Table(name = "request_event")
public class RequestEvent {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "request_id", nullable = false, updatable = false)
  private GuestRequest request;

  @Column(nullable = false, updatable = false)
  private Instant at;

  @Column(nullable = false, updatable = false)
  private String actor;

  @Enumerated(EnumType.STRING)
  @Column(name = "from_state", updatable = false)
  private RequestState from;

  @Enumerated(EnumType.STRING)
  @Column(name = "to_state", nullable = false, updatable = false)
  private RequestState to;

  @Column(updatable = false)
  private String reason;

  protected RequestEvent() {}

  RequestEvent(
      GuestRequest request,
      Instant at,
      String actor,
      RequestState from,
      RequestState to,
      String reason) {
    this.request = request;
    this.at = at;
    this.actor = actor;
    this.from = from;
    this.to = to;
    this.reason = reason;
  }

  public Instant at() {
    return at;
  }

  public String actor() {
    return actor;
  }

  public RequestState from() {
    return from;
  }

  public RequestState to() {
    return to;
  }

  public String reason() {
    return reason;
  }
}
