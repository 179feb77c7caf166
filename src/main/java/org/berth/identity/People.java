package org.berth.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;

/** The people who have signed in to Berth. */
@ApplicationScoped
public class People {

  /** A person as pages and the API show them. */
  public record Summary(
      String username,
      String displayName,
      String email,
      List<String> roles,
      OffsetDateTime firstSeen,
      OffsetDateTime lastSeen) {

    /** The roles as one line, for tables. */
    public String roleList() {
      return String.join(", ", roles);
    }
  }

  @PersistenceContext EntityManager em;

  /**
   * Records that {@code account} signed in: adds them on first sight, refreshes name, mail and
   * roles, and moves "last seen" forward at most once a minute, so API calls cost no write each.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void recordSignIn(Account account) {
    em.createNativeQuery(
            """
            INSERT INTO person (username, display_name, email, roles)
            VALUES (?1, ?2, ?3, string_to_array(?4, ','))
            ON CONFLICT (username) DO UPDATE
               SET display_name = excluded.display_name,
                   email = excluded.email,
                   roles = excluded.roles,
                   last_seen = now()
             WHERE person.last_seen < now() - interval '1 minute'
                OR person.display_name IS DISTINCT FROM excluded.display_name
                OR person.email IS DISTINCT FROM excluded.email
                OR person.roles IS DISTINCT FROM excluded.roles
            """)
        .setParameter(1, account.username())
        .setParameter(2, account.displayName())
        .setParameter(3, account.email())
        .setParameter(4, String.join(",", account.roles().stream().sorted().toList()))
        .executeUpdate();
  }

  /** The account of someone who has signed in, as they were last seen. */
  @Transactional
  public java.util.Optional<Account> account(String username) {
    return em.createQuery("SELECT p FROM Person p WHERE p.username = :u", Person.class)
        .setParameter("u", username)
        .getResultStream()
        .findFirst()
        .map(
            p ->
                new Account(
                    p.username(), p.displayName(), p.email(), java.util.Set.copyOf(p.roles())));
  }

  /** Everyone who has signed in, most recent first. */
  @Transactional
  public List<Summary> all() {
    return em.createQuery(
            "SELECT p FROM Person p ORDER BY p.lastSeen DESC, p.username", Person.class)
        .getResultStream()
        .map(
            p ->
                new Summary(
                    p.username(),
                    p.displayName(),
                    p.email(),
                    p.roles(),
                    p.firstSeen(),
                    p.lastSeen()))
        .toList();
  }
}
