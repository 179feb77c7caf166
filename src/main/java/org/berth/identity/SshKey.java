package org.berth.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.berth.platform.refusal.InvalidInput;

/**
 * An SSH public key a person keeps in their profile: checked by {@link SshPublicKey} and labelled
 * before it is stored, and never changed afterwards. A person keeps a key (by fingerprint) at most
 * once; the table's constraint {@code ssh_key_unique} holds that under concurrency too.
 */
@Entity
@Table(name = "ssh_key")
public class SshKey {

  /** The longest label. */
  static final int MAX_LABEL = 100;

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, updatable = false)
  private String username;

  @Column(nullable = false, updatable = false)
  private String label;

  @Column(name = "public_key", nullable = false, updatable = false)
  private String publicKey;

  @Column(nullable = false, updatable = false)
  private String fingerprint;

  @Column(nullable = false, updatable = false)
  private Instant added;

  protected SshKey() {}

  /**
   * A key of {@code username}'s. Refuses (fields {@code label} and {@code key}) a label that is
   * empty, longer than 100 characters or holds control characters, and a key {@link
   * SshPublicKey#parse} refuses.
   */
  static SshKey of(String username, String label, String key, Instant now) {
    Map<String, String> wrong = new LinkedHashMap<>();
    String name = label == null ? "" : label.strip();
    if (name.isEmpty()) {
      wrong.put("label", "must be given, such as 'laptop'");
    } else if (name.length() > MAX_LABEL) {
      wrong.put("label", "must be at most " + MAX_LABEL + " characters");
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
    SshKey k = new SshKey();
    k.username = username;
    k.label = name;
    k.publicKey = parsed.line();
    k.fingerprint = parsed.fingerprint();
    k.added = now;
    return k;
  }

  /** As the profile and the wizard show it. */
  SshKeys.Saved saved() {
    return new SshKeys.Saved(id, label, publicKey, fingerprint, added);
  }

  public String label() {
    return label;
  }

  public String fingerprint() {
    return fingerprint;
  }
}
