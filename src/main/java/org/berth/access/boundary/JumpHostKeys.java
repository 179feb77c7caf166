package org.berth.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.regex.Pattern;
import org.berth.identity.People;
import org.berth.ledger.boundary.Ledger;
import org.berth.ledger.control.AddressRules;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.control.AccessPoints;

/**
 * The keys the SSH jump host accepts for one account, as sshd's {@code AuthorizedKeysCommand} wants
 * them: each of the person's profile keys, restricted to forwarding to their own READY guests
 * ({@code restrict,port-forwarding,permitopen="10.77.0.5:22",...}). A person without a READY guest
 * gets no keys at all, because a key with no {@code permitopen} could forward anywhere, and neither
 * does a person an admin has blocked. Only addresses the ledger's {@link AddressRules} allow (and
 * those of the NAT network) are named, whatever a guest's row holds. Nothing is cached: a removed
 * key or a deleted guest counts from the next connection.
 */
@ApplicationScoped
@Transactional
public class JumpHostKeys {

  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

  @PersistenceContext EntityManager em;
  @Inject AccessPoints points;
  @Inject People people;
  @Inject Ledger ledger;

  /**
   * The {@code authorized_keys} lines of {@code user}'s keys, only the one with {@code fingerprint}
   * if given.
   *
   * @throws InvalidInput naming {@code user} or {@code fingerprint} if one is malformed
   */
  public String authorizedKeys(String user, String fingerprint) {
    if (user == null || !USER.matcher(user).matches()) {
      throw new InvalidInput(
          "user", "must be a Berth user name (letters, digits, '.', '_', '@' or '-')");
    }
    boolean oneKey = fingerprint != null && !fingerprint.isEmpty();
    if (oneKey && !FINGERPRINT.matcher(fingerprint).matches()) {
      throw new InvalidInput(
          "fingerprint",
          "must be an OpenSSH SHA256 fingerprint such as SHA256:abc… (as sshd's %f)");
    }
    List<String> targets = people.isBlocked(user) ? List.of() : targets(user);
    if (targets.isEmpty()) {
      return "";
    }
    StringBuilder options = new StringBuilder("restrict,port-forwarding");
    for (String target : targets) {
      options.append(",permitopen=\"").append(target).append('"');
    }
    StringBuilder out = new StringBuilder();
    for (String key : keys(user, oneKey ? fingerprint : null)) {
      out.append(options).append(' ').append(key).append('\n');
    }
    return out.toString();
  }

  /** {@code address:port} of each READY guest of {@code owner}, IPv6 in brackets. */
  private List<String> targets(String owner) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT ipv4, ipv6 FROM guest_request WHERE owner = ?1 AND state = 'READY'"
                    + " AND (ipv4 IS NOT NULL OR ipv6 IS NOT NULL) ORDER BY id")
            .setParameter(1, owner)
            .getResultList();
    int port = points.guestSshPort();
    AddressRules rules = ledger.addressRules();
    return rows.stream()
        .map(
            r ->
                r[0] != null && rules.reachable((String) r[0])
                    ? r[0] + ":" + port
                    : r[1] != null && rules.reachable((String) r[1])
                        ? "[" + r[1] + "]:" + port
                        : null)
        .filter(java.util.Objects::nonNull)
        .distinct()
        .toList();
  }

  private List<String> keys(String user, String fingerprint) {
    String sql =
        "SELECT public_key FROM ssh_key WHERE username = ?1"
            + (fingerprint == null ? "" : " AND fingerprint = ?2")
            + " ORDER BY added, id";
    var query = em.createNativeQuery(sql).setParameter(1, user);
    if (fingerprint != null) {
      query.setParameter(2, fingerprint);
    }
    @SuppressWarnings("unchecked")
    List<String> keys = query.getResultList();
    return keys;
  }
}
