package org.berth.requests.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.regex.Pattern;
import org.berth.platform.refusal.InvalidInput;

/**
 * An admin's override of one person's quota, in place of the configured default: how many guests,
 * cores, MiB of memory and GiB of disk their live requests may hold at once. A limit left empty (as
 * an older version or a hand-made row may have it) means the default's.
 */
@Entity
@Table(name = "quota")
public class QuotaOverride {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  @Id private String username;

  private Integer guests;
  private Integer cores;

  @Column(name = "memory_mib")
  private Integer memoryMib;

  @Column(name = "disk_gib")
  private Integer diskGib;

  @Column(name = "updated_by", nullable = false)
  private String updatedBy;

  @Column(nullable = false)
  private Instant updated;

  protected QuotaOverride() {}

  /**
   * A new override of {@code username}'s quota.
   *
   * @throws InvalidInput naming {@code username} when it is no user name
   */
  public static QuotaOverride of(String username, String admin, Instant now) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new InvalidInput(
          "username", "must be a user name of 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
    QuotaOverride q = new QuotaOverride();
    q.username = username;
    q.updatedBy = admin;
    q.updated = now;
    return q;
  }

  /** Sets all four limits, each 0 or more; it applies to the next submission and approval. */
  public void set(int guests, int cores, int memoryMib, int diskGib, String admin, Instant now) {
    if (guests < 0 || cores < 0 || memoryMib < 0 || diskGib < 0) {
      throw new IllegalArgumentException("quota limits must be 0 or more");
    }
    this.guests = guests;
    this.cores = cores;
    this.memoryMib = memoryMib;
    this.diskGib = diskGib;
    this.updatedBy = admin;
    this.updated = now;
  }

  public String username() {
    return username;
  }

  /** The limit of guests, or {@code otherwise} where this override leaves it to the default. */
  public int guests(int otherwise) {
    return guests == null ? otherwise : guests;
  }

  public int cores(int otherwise) {
    return cores == null ? otherwise : cores;
  }

  public int memoryMib(int otherwise) {
    return memoryMib == null ? otherwise : memoryMib;
  }

  public int diskGib(int otherwise) {
    return diskGib == null ? otherwise : diskGib;
  }
}
