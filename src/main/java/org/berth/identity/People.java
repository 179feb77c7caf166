package org.berth.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.berth.platform.refusal.InvalidInput;

/** The people who have signed in to Berth, and who is blocked. */
@ApplicationScoped
public class People {

  /** A person as pages and the API show them. */
  public record Summary(
      String username,
      String displayName,
      String email,
      List<String> roles,
      OffsetDateTime firstSeen,
      OffsetDateTime lastSeen,
      OffsetDateTime lastSignIn,
      boolean blocked,
      String blockedBy,
      long liveTokens) {

    /** The roles as one line, for tables. */
    public String roleList() {
      return String.join(", ", roles);
    }
  }

  @PersistenceContext EntityManager em;

  /**
   * Records that {@code account} was seen: adds them on first sight, refreshes name, mail and
   * roles, and moves "last seen" forward at most once a minute, so API calls cost no write each. A
   * sign-in to the pages ({@code pageSignIn}) is always written.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void recordSignIn(Account account, boolean pageSignIn) {
    em.createNativeQuery(
            """
            INSERT INTO person (username, display_name, email, roles, last_sign_in)
            VALUES (?1, ?2, ?3, string_to_array(?4, ','), CASE WHEN ?5 THEN now() END)
            ON CONFLICT (username) DO UPDATE
               SET display_name = excluded.display_name,
                   email = excluded.email,
                   roles = excluded.roles,
                   last_seen = now(),
                   last_sign_in = COALESCE(excluded.last_sign_in, person.last_sign_in)
             WHERE person.last_seen < now() - interval '1 minute'
                OR ?5
                OR person.display_name IS DISTINCT FROM excluded.display_name
                OR person.email IS DISTINCT FROM excluded.email
                OR person.roles IS DISTINCT FROM excluded.roles
            """)
        .setParameter(1, account.username())
        .setParameter(2, account.displayName())
        .setParameter(3, account.email())
        .setParameter(4, String.join(",", account.roles().stream().sorted().toList()))
        .setParameter(5, pageSignIn)
        .executeUpdate();
  }

  /** The account of someone who has signed in, as they were last seen. */
  @Transactional
  public Optional<Account> account(String username) {
    return person(username)
        .map(p -> new Account(p.username(), p.displayName(), p.email(), Set.copyOf(p.roles())));
  }

  /** Whether an admin has blocked {@code username}. */
  @Transactional
  public boolean isBlocked(String username) {
    return !em.createNativeQuery(
            "SELECT 1 FROM person WHERE username = ?1 AND blocked_at IS NOT NULL")
        .setParameter(1, username)
        .getResultList()
        .isEmpty();
  }

  /**
   * Blocks {@code username} (by {@code admin}): their pages, API tokens and jump host keys stop
   * from their next request. Someone who never signed in is blocked ahead of their first visit. An
   * admin cannot block themselves.
   */
  @Transactional
  public void block(String username, String admin) {
    if (!AccountName.isValid(username) && person(username).isEmpty()) {
      throw new InvalidInput("username", AccountName.RULE);
    }
    if (username.equals(admin)) {
      throw new InvalidInput("username", "must not be your own: ask another admin");
    }
    em.createNativeQuery(
            """
            INSERT INTO person (username, display_name, blocked_at, blocked_by)
            VALUES (?1, ?1, now(), ?2)
            ON CONFLICT (username) DO UPDATE SET blocked_at = now(), blocked_by = ?2
             WHERE person.blocked_at IS NULL
            """)
        .setParameter(1, username)
        .setParameter(2, admin)
        .executeUpdate();
  }

  /** Lifts a block; false if {@code username} was not blocked. */
  @Transactional
  public boolean unblock(String username) {
    return em.createNativeQuery(
                "UPDATE person SET blocked_at = NULL, blocked_by = NULL"
                    + " WHERE username = ?1 AND blocked_at IS NOT NULL")
            .setParameter(1, username)
            .executeUpdate()
        > 0;
  }

  /** One person, if they have been seen. */
  @Transactional
  public Optional<Summary> summary(String username) {
    return person(username).map(p -> summary(p, liveTokens().getOrDefault(p.username(), 0L)));
  }

  /** Everyone who has signed in, most recent first. */
  @Transactional
  public List<Summary> all() {
    Map<String, Long> tokens = liveTokens();
    return em.createQuery(
            "SELECT p FROM Person p ORDER BY p.lastSeen DESC, p.username", Person.class)
        .setMaxResults(10_000)
        .getResultStream()
        .map(p -> summary(p, tokens.getOrDefault(p.username(), 0L)))
        .toList();
  }

  private Map<String, Long> liveTokens() {
    return em.createQuery(
            "SELECT t.username, count(t) FROM ApiToken t WHERE t.revokedAt IS NULL"
                + " AND t.expiresAt > CURRENT_TIMESTAMP GROUP BY t.username",
            Object[].class)
        .getResultStream()
        .collect(Collectors.toMap(r -> (String) r[0], r -> ((Number) r[1]).longValue()));
  }

  private Optional<Person> person(String username) {
    return em.createQuery("SELECT p FROM Person p WHERE p.username = :u", Person.class)
        .setParameter("u", username)
        .getResultStream()
        .findFirst();
  }

  private static Summary summary(Person p, long tokens) {
    return new Summary(
        p.username(),
        p.displayName(),
        p.email(),
        p.roles(),
        p.firstSeen(),
        p.lastSeen(),
        p.lastSignIn(),
        p.isBlocked(),
        p.blockedBy(),
        tokens);
  }
}
