package org.berth.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.regex.Pattern;
import org.berth.identity.People;
import org.berth.ledger.boundary.Ledger;
import org.berth.ledger.control.AddressRules;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.entity.RequestState;

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
    List<Object[]> rows =
        em.createQuery(
                "SELECT r.ipv4, r.ipv6 FROM GuestRequest r WHERE r.owner = :owner"
                    + " AND r.state = :ready AND (r.ipv4 IS NOT NULL OR r.ipv6 IS NOT NULL)"
                    + " ORDER BY r.id",
                Object[].class)
            .setParameter("owner", owner)
            .setParameter("ready", RequestState.READY)
            .getResultList();
    int port = points.guestSshPort();
    AddressRules rules = ledger.addressRules();
    return rows.stream()
        .map(
            r -> {
              String v4 = r[0] == null ? null : r[0].toString();
              String v6 = r[1] == null ? null : r[1].toString();
              return v4 != null && rules.reachable(v4)
                  ? v4 + ":" + port
                  : v6 != null && rules.reachable(v6) ? "[" + v6 + "]:" + port : null;
            })
        .filter(java.util.Objects::nonNull)
        .distinct()
        .toList();
  }

  private List<String> keys(String user, String fingerprint) {
    TypedQuery<String> query =
        em.createQuery(
                "SELECT k.publicKey FROM SshKey k WHERE k.username = :u"
                    + (fingerprint == null ? "" : " AND k.fingerprint = :f")
                    + " ORDER BY k.added, k.id",
                String.class)
            .setParameter("u", user);
    if (fingerprint != null) {
      query.setParameter("f", fingerprint);
    }
    return query.getResultList();
  }
}
