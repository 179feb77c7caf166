package org.berth.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A personal API token: only the SHA-256 of its text is kept. Written only by {@link ApiTokens}.
 */
@Entity
@Table(name = "api_token")
public class ApiToken {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, updatable = false)
  private String username;

  @Column(nullable = false, updatable = false)
  private String name;

  @Column(nullable = false, updatable = false)
  private String scope;

  @Column(name = "token_hash", nullable = false, updatable = false)
  private byte[] tokenHash;

  @Column(nullable = false, updatable = false)
  private String hint;

  @Column(nullable = false, updatable = false)
  private Instant created;

  @Column(name = "expires_at", nullable = false, updatable = false)
  private Instant expiresAt;

  @Column(name = "last_used")
  private Instant lastUsed;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  @Column(name = "revoked_by")
  private String revokedBy;

  protected ApiToken() {}

  ApiToken(
      String username,
      String name,
      TokenScope scope,
      byte[] tokenHash,
      String hint,
      Instant created,
      Instant expiresAt) {
    this.username = username;
    this.name = name;
    this.scope = scope.label();
    this.tokenHash = tokenHash.clone();
    this.hint = hint;
    this.created = created;
    this.expiresAt = expiresAt;
  }

  /** Revokes the token from the next call on; revoking twice changes nothing. */
  void revoke(String by, Instant at) {
    if (revokedAt == null) {
      revokedAt = at;
      revokedBy = by;
    }
  }

  public long id() {
    return id;
  }

  public String username() {
    return username;
  }

  public String name() {
    return name;
  }

  public TokenScope scope() {
    return TokenScope.of(scope);
  }

  public String hint() {
    return hint;
  }

  public Instant created() {
    return created;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public Instant lastUsed() {
    return lastUsed;
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }
}
