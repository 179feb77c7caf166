package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.berth.requests.control.QuotaLimits;
import org.berth.requests.entity.QuotaOverride;

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

  Clock clock = Clock.systemUTC();

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
    QuotaOverride q = em.find(QuotaOverride.class, username);
    if (q == null) {
      return d;
    }
    return new QuotaLimits(
        q.guests(d.guests()),
        q.cores(d.cores()),
        q.memoryMib(d.memoryMib()),
        q.diskGib(d.diskGib()));
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
    return em.find(QuotaOverride.class, username) == null
        ? Optional.empty()
        : Optional.of(limits(username));
  }

  /** Sets an override; it applies to the next submission and approval, not to guests held. */
  @Transactional
  public Standing set(String username, QuotaLimits limits, String admin) {
    Instant now = clock.instant();
    QuotaOverride q = QuotaOverride.of(username, admin, now); // checks the name before the lock
    lock(username);
    QuotaOverride held = em.find(QuotaOverride.class, username);
    if (held == null) {
      em.persist(q);
      held = q;
    }
    held.set(limits.guests(), limits.cores(), limits.memoryMib(), limits.diskGib(), admin, now);
    em.flush();
    return standing(username);
  }

  /** Removes an override: the default applies again. */
  @Transactional
  public Standing clear(String username) {
    QuotaOverride q = em.find(QuotaOverride.class, username);
    if (q != null) {
      em.remove(q);
      em.flush();
    }
    return standing(username);
  }
}
