package org.berth.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.berth.platform.database.Constraints;
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

  Clock clock = Clock.systemUTC();

  /** The keys of {@code username}, oldest first. */
  public List<Saved> of(String username) {
    return em.createQuery(
            "SELECT k FROM SshKey k WHERE k.username = :u ORDER BY k.added, k.id", SshKey.class)
        .setParameter("u", username)
        .getResultStream()
        .map(SshKey::saved)
        .toList();
  }

  /**
   * Saves a key under a label. Refuses (fields {@code label} and {@code key}) what {@link
   * SshKey#of} refuses, a key already saved ({@link KeyAlreadySaved}), and a key past the most one
   * person keeps.
   */
  public Saved add(String username, String label, String key) {
    SshKey k = SshKey.of(username, label, key, clock.instant());
    Optional<SshKey> same =
        em.createQuery(
                "SELECT k FROM SshKey k WHERE k.username = :u AND k.fingerprint = :f", SshKey.class)
            .setParameter("u", username)
            .setParameter("f", k.fingerprint())
            .getResultStream()
            .findFirst();
    if (same.isPresent()) {
      throw new KeyAlreadySaved(same.get().label());
    }
    long held =
        em.createQuery("SELECT count(k) FROM SshKey k WHERE k.username = :u", Long.class)
            .setParameter("u", username)
            .getSingleResult();
    if (held >= MAX_KEYS) {
      throw new InvalidInput("key", "you keep " + MAX_KEYS + " keys already; remove one first");
    }
    em.persist(k);
    try {
      em.flush();
    } catch (PersistenceException e) {
      if (Constraints.violated(e, "ssh_key_unique")) {
        throw new KeyAlreadySaved(null); // saved at this moment by another session
      }
      throw e;
    }
    return k.saved();
  }

  /** Removes one of {@code username}'s keys; false if they have no such key. */
  public boolean remove(String username, long id) {
    return em.createQuery("DELETE FROM SshKey k WHERE k.id = :id AND k.username = :u")
            .setParameter("id", id)
            .setParameter("u", username)
            .executeUpdate()
        > 0;
  }
}
