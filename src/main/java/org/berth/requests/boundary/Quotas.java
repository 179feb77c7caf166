package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.control.QuotaLimits;

/**
 * Per-user quotas: the configured default, or an admin's override. Usage counts every live request.
 * Checks that must hold under concurrency run after {@link #lock}, which serialises one person's
 * submissions and approvals until the transaction ends.
 */
@ApplicationScoped
public class Quotas {

  /** One person's limits and what they use. */
  public record Standing(
      String username, QuotaLimits limits, QuotaLimits used, boolean overridden) {}

  @PersistenceContext EntityManager em;
  @Inject RequestSettings settings;

  /** Holds the quota lock of {@code username} until the caller's transaction ends. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void lock(String username) {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(1701, hashtext(?1))")
        .setParameter(1, username)
        .getSingleResult();
  }

  @Transactional
  public QuotaLimits limits(String username) {
    QuotaLimits d = settings.policy().defaultQuota();
    List<?> rows =
        em.createNativeQuery(
                "SELECT guests, cores, memory_mib, disk_gib FROM quota WHERE username = ?1")
            .setParameter(1, username)
            .getResultList();
    if (rows.isEmpty()) {
      return d;
    }
    Object[] r = (Object[]) rows.get(0);
    return new QuotaLimits(
        or(r[0], d.guests()), or(r[1], d.cores()), or(r[2], d.memoryMib()), or(r[3], d.diskGib()));
  }

  /** What {@code username}'s live requests add up to. */
  @Transactional
  public QuotaLimits used(String username) {
    Object[] r =
        (Object[])
            em.createNativeQuery(
                    "SELECT count(*), coalesce(sum(cores), 0), coalesce(sum(memory_mib), 0),"
                        + " coalesce(sum(disk_gib), 0) FROM guest_request WHERE owner = ?1"
                        + " AND state NOT IN ('REJECTED', 'CANCELLED', 'DELETED')")
                .setParameter(1, username)
                .getSingleResult();
    return new QuotaLimits(
        ((Number) r[0]).intValue(),
        ((Number) r[1]).intValue(),
        ((Number) r[2]).intValue(),
        ((Number) r[3]).intValue());
  }

  @Transactional
  public Standing standing(String username) {
    return new Standing(username, limits(username), used(username), override(username).isPresent());
  }

  /** Everyone with an override or a live request, by name. */
  @Transactional
  public List<Standing> all() {
    @SuppressWarnings("unchecked")
    List<String> names =
        em.createNativeQuery(
                "SELECT username FROM quota UNION SELECT owner FROM guest_request"
                    + " WHERE state NOT IN ('REJECTED', 'CANCELLED', 'DELETED')"
                    + " UNION SELECT username FROM person ORDER BY 1")
            .getResultList();
    return names.stream().map(this::standing).toList();
  }

  /** The override of {@code username}, if an admin set one. */
  @Transactional
  public Optional<QuotaLimits> override(String username) {
    List<?> rows =
        em.createNativeQuery("SELECT 1 FROM quota WHERE username = ?1")
            .setParameter(1, username)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(limits(username));
  }

  /** Sets an override; it applies to the next submission and approval, not to guests held. */
  @Transactional
  public Standing set(String username, QuotaLimits limits, String admin) {
    if (username == null || !username.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new InvalidInput(
          "username", "must be a user name of 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
    em.createNativeQuery(
            "INSERT INTO quota (username, guests, cores, memory_mib, disk_gib, updated_by)"
                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (username) DO UPDATE SET"
                + " guests = excluded.guests, cores = excluded.cores,"
                + " memory_mib = excluded.memory_mib, disk_gib = excluded.disk_gib,"
                + " updated_by = excluded.updated_by, updated = now()")
        .setParameter(1, username)
        .setParameter(2, limits.guests())
        .setParameter(3, limits.cores())
        .setParameter(4, limits.memoryMib())
        .setParameter(5, limits.diskGib())
        .setParameter(6, admin)
        .executeUpdate();
    return standing(username);
  }

  /** Removes an override: the default applies again. */
  @Transactional
  public Standing clear(String username) {
    em.createNativeQuery("DELETE FROM quota WHERE username = ?1")
        .setParameter(1, username)
        .executeUpdate();
    return standing(username);
  }

  private static int or(Object value, int otherwise) {
    return value == null ? otherwise : ((Number) value).intValue();
  }
}
