package org.berth.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.berth.platform.refusal.InvalidInput;

/**
 * Personal API tokens for scripts and CI. A token is {@value #PREFIX} followed by 43 characters of
 * URL-safe base64 (256 random bits); the fixed prefix lets secret scanners recognise a leaked one.
 * Berth shows a token once, when it is created, and keeps only its SHA-256. A token acts for its
 * owner with the roles they had at their last sign-in, {@code read} tokens only for GET and HEAD;
 * revocation, expiry and blocking the owner count from the next call.
 */
@ApplicationScoped
@Transactional
public class ApiTokens {

  public static final String PREFIX = "berth_";

  /** The most live (not revoked, not expired) tokens one person keeps. */
  static final int MAX_TOKENS = 50;

  static final int MAX_DAYS = 365;

  /** How often a token's last use is written at most. */
  private static final Duration LAST_USE_EVERY = Duration.ofMinutes(1);

  /** A token as lists show it: never its text. */
  public record Listed(
      long id,
      String username,
      String name,
      TokenScope scope,
      String hint,
      Instant created,
      Instant expiresAt,
      Instant lastUsed) {

    public boolean isExpired() {
      return !expiresAt.isAfter(Instant.now());
    }

    public String getScopeLabel() {
      return scope.label();
    }
  }

  /** A token just created: the only time its text is known. */
  public record Created(Listed token, String secret) {}

  /** What a presented token turned out to be. */
  public sealed interface Check {}

  /** A token that may be used now. */
  public record Valid(String username, TokenScope scope) implements Check {}

  /** A token Berth knows but that no longer works (expired, revoked, or its owner is blocked). */
  public record Refused(String username, String why) implements Check {}

  /** Not a token Berth issued. */
  public record Unknown() implements Check {}

  @PersistenceContext EntityManager em;

  /**
   * Creates a token. Refuses, by field, a {@code name} that is empty, longer than 100 characters or
   * holds control characters, {@code expiresInDays} outside 1 to 365, a {@code scope} other than
   * read or write, and a token past the most one person keeps.
   */
  public Created create(String username, String name, Integer expiresInDays, String scope) {
    Map<String, String> wrong = new LinkedHashMap<>();
    String label = name == null ? "" : name.strip();
    if (label.isEmpty()) {
      wrong.put("name", "must be given");
    } else if (label.length() > 100) {
      wrong.put("name", "must be at most 100 characters");
    } else if (label.chars().anyMatch(Character::isISOControl)) {
      wrong.put("name", "must not contain control characters");
    }
    if (expiresInDays == null) {
      wrong.put("expiresInDays", "must be given, from 1 to " + MAX_DAYS);
    } else if (expiresInDays < 1 || expiresInDays > MAX_DAYS) {
      wrong.put("expiresInDays", "must be from 1 to " + MAX_DAYS);
    }
    TokenScope tokenScope = null;
    try {
      tokenScope = TokenScope.of(scope);
    } catch (IllegalArgumentException e) {
      wrong.put("scope", e.getMessage());
    }
    if (!wrong.isEmpty()) {
      throw new InvalidInput(wrong);
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    lockPerson(username);
    long live =
        em.createQuery(
                "SELECT count(t) FROM ApiToken t WHERE t.username = :u AND t.revokedAt IS NULL"
                    + " AND t.expiresAt > :now",
                Long.class)
            .setParameter("u", username)
            .setParameter("now", now)
            .getSingleResult();
    if (live >= MAX_TOKENS) {
      throw new InvalidInput(
          "name", "you have " + MAX_TOKENS + " live tokens already; revoke one first");
    }
    String body = Secrets.random(32);
    String secret = PREFIX + body;
    ApiToken token =
        new ApiToken(
            username,
            label,
            tokenScope,
            Secrets.sha256(secret),
            PREFIX + body.substring(0, 4),
            now,
            now.plus(Duration.ofDays(expiresInDays)));
    em.persist(token);
    em.flush();
    return new Created(listed(token), secret);
  }

  /** Serialises token creation per person, so the limit holds under concurrency. */
  private void lockPerson(String username) {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('api_token:' || ?1))")
        .setParameter(1, username)
        .getSingleResult();
  }

  /** {@code username}'s tokens that are not revoked, newest first; expired ones say so. */
  public List<Listed> of(String username) {
    return em.createQuery(
            "SELECT t FROM ApiToken t WHERE t.username = :u AND t.revokedAt IS NULL"
                + " ORDER BY t.created DESC, t.id DESC",
            ApiToken.class)
        .setParameter("u", username)
        .getResultStream()
        .map(ApiTokens::listed)
        .toList();
  }

  /** Everyone's tokens that are not revoked, newest first, for admins. */
  public List<Listed> all() {
    return em.createQuery(
            "SELECT t FROM ApiToken t WHERE t.revokedAt IS NULL ORDER BY t.created DESC, t.id DESC",
            ApiToken.class)
        .setMaxResults(10_000)
        .getResultStream()
        .map(ApiTokens::listed)
        .toList();
  }

  /**
   * Revokes token {@code id} of {@code owner}; {@code by} is who did it. False if {@code owner} has
   * no such live token.
   */
  public boolean revoke(String owner, long id, String by) {
    ApiToken token = em.find(ApiToken.class, id);
    if (token == null || !token.username().equals(owner) || token.isRevoked()) {
      return false;
    }
    token.revoke(by, Instant.now());
    return true;
  }

  /** Revokes every live token of {@code owner}; returns how many. */
  public int revokeAll(String owner, String by) {
    return em.createQuery(
            "UPDATE ApiToken t SET t.revokedAt = :now, t.revokedBy = :by"
                + " WHERE t.username = :u AND t.revokedAt IS NULL")
        .setParameter("now", Instant.now())
        .setParameter("by", by)
        .setParameter("u", owner)
        .executeUpdate();
  }

  /** What {@code presented} is; a valid one has its last use noted (at most once a minute). */
  public Check check(String presented) {
    if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 200) {
      return new Unknown();
    }
    Optional<ApiToken> found =
        em.createQuery("SELECT t FROM ApiToken t WHERE t.tokenHash = :h", ApiToken.class)
            .setParameter("h", Secrets.sha256(presented))
            .getResultStream()
            .findFirst();
    if (found.isEmpty()) {
      return new Unknown();
    }
    ApiToken token = found.get();
    Instant now = Instant.now();
    if (token.isRevoked()) {
      return new Refused(token.username(), "revoked");
    }
    if (!token.expiresAt().isAfter(now)) {
      return new Refused(token.username(), "expired");
    }
    if (token.lastUsed() == null || token.lastUsed().isBefore(now.minus(LAST_USE_EVERY))) {
      em.createQuery("UPDATE ApiToken t SET t.lastUsed = :now WHERE t.id = :id")
          .setParameter("now", now)
          .setParameter("id", token.id())
          .executeUpdate();
    }
    return new Valid(token.username(), token.scope());
  }

  private static Listed listed(ApiToken t) {
    return new Listed(
        t.id(),
        t.username(),
        t.name(),
        t.scope(),
        t.hint(),
        t.created(),
        t.expiresAt(),
        t.lastUsed());
  }
}
