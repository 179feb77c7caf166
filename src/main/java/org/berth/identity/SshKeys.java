package org.berth.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.berth.platform.database.SqlValues;
import org.berth.platform.refusal.InvalidInput;

/**
 * The SSH public keys people keep in their profile, to choose from when they request a guest. Each
 * key is checked by {@link SshPublicKey} before it is stored, and a person keeps a key (by
 * fingerprint) at most once; the table's unique constraint holds that under concurrency too.
 */
@ApplicationScoped
@Transactional
public class SshKeys {

  /** The most keys one person keeps. */
  static final int MAX_KEYS = 50;

  /**
   * A saved key.
   *
   * @param publicKey the key as one {@code authorized_keys} line
   */
  public record Saved(long id, String label, String publicKey, String fingerprint, Instant added) {

    /** The key type, such as {@code ssh-ed25519}. */
    public String type() {
      int space = publicKey.indexOf(' ');
      return space < 0 ? publicKey : publicKey.substring(0, space);
    }
  }

  @PersistenceContext EntityManager em;

  /** The keys of {@code username}, oldest first. */
  public List<Saved> of(String username) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT id, label, public_key, fingerprint, added FROM ssh_key"
                    + " WHERE username = ?1 ORDER BY added, id")
            .setParameter(1, username)
            .getResultList();
    return rows.stream()
        .map(
            r ->
                new Saved(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    SqlValues.instant(r[4])))
        .toList();
  }

  /**
   * Saves a key under a label. Refuses (fields {@code label} and {@code key}) a label that is
   * empty, longer than 100 characters or holds control characters, a key {@link SshPublicKey#parse}
   * refuses, a key already saved, and a key past the most one person keeps.
   */
  public Saved add(String username, String label, String key) {
    Map<String, String> wrong = new LinkedHashMap<>();
    String name = label == null ? "" : label.strip();
    if (name.isEmpty()) {
      wrong.put("label", "must be given, such as 'laptop'");
    } else if (name.length() > 100) {
      wrong.put("label", "must be at most 100 characters");
    } else if (name.chars().anyMatch(Character::isISOControl)) {
      wrong.put("label", "must not contain control characters");
    }
    SshPublicKey parsed = null;
    try {
      parsed = SshPublicKey.parse(key);
    } catch (IllegalArgumentException e) {
      wrong.put("key", e.getMessage());
    }
    if (!wrong.isEmpty()) {
      throw new InvalidInput(wrong);
    }
    long held =
        ((Number)
                em.createNativeQuery("SELECT count(*) FROM ssh_key WHERE username = ?1")
                    .setParameter(1, username)
                    .getSingleResult())
            .longValue();
    if (held >= MAX_KEYS) {
      throw new InvalidInput("key", "you keep " + MAX_KEYS + " keys already; remove one first");
    }
    List<?> inserted =
        em.createNativeQuery(
                "INSERT INTO ssh_key (username, label, public_key, fingerprint) VALUES (?1, ?2, ?3,"
                    + " ?4) ON CONFLICT (username, fingerprint) DO NOTHING RETURNING id, added")
            .setParameter(1, username)
            .setParameter(2, name)
            .setParameter(3, parsed.line())
            .setParameter(4, parsed.fingerprint())
            .getResultList();
    if (inserted.isEmpty()) {
      List<?> labels =
          em.createNativeQuery("SELECT label FROM ssh_key WHERE username = ?1 AND fingerprint = ?2")
              .setParameter(1, username)
              .setParameter(2, parsed.fingerprint())
              .getResultList();
      String existing = labels.isEmpty() ? "" : (String) labels.get(0);
      throw new InvalidInput("key", "is already in your profile as '" + existing + "'");
    }
    Object[] row = (Object[]) inserted.get(0);
    return new Saved(
        ((Number) row[0]).longValue(),
        name,
        parsed.line(),
        parsed.fingerprint(),
        SqlValues.instant(row[1]));
  }

  /** Removes one of {@code username}'s keys; false if they have no such key. */
  public boolean remove(String username, long id) {
    return em.createNativeQuery("DELETE FROM ssh_key WHERE id = ?1 AND username = ?2")
            .setParameter(1, id)
            .setParameter(2, username)
            .executeUpdate()
        > 0;
  }
}
