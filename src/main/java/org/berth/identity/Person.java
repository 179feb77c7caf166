package org.berth.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/** Someone who has signed in to Berth; written only by {@link People}. */
@Entity
@Table(name = "person")
public class Person {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, updatable = false)
  private String username;

  @Column(name = "display_name", nullable = false)
  private String displayName;

  private String email;

  @Column(nullable = false)
  private String[] roles;

  @Column(name = "first_seen", nullable = false, updatable = false)
  private OffsetDateTime firstSeen;

  @Column(name = "last_seen", nullable = false)
  private OffsetDateTime lastSeen;

  @Column(name = "last_sign_in")
  private OffsetDateTime lastSignIn;

  @Column(name = "blocked_at")
  private OffsetDateTime blockedAt;

  @Column(name = "blocked_by")
  private String blockedBy;

  protected Person() {}

  public String username() {
    return username;
  }

  public String displayName() {
    return displayName;
  }

  public String email() {
    return email;
  }

  public List<String> roles() {
    return List.of(roles);
  }

  public OffsetDateTime firstSeen() {
    return firstSeen;
  }

  public OffsetDateTime lastSeen() {
    return lastSeen;
  }

  /** When they last signed in to the pages; null if they only used the API. */
  public OffsetDateTime lastSignIn() {
    return lastSignIn;
  }

  public boolean isBlocked() {
    return blockedAt != null;
  }

  public OffsetDateTime blockedAt() {
    return blockedAt;
  }

  public String blockedBy() {
    return blockedBy;
  }
}
