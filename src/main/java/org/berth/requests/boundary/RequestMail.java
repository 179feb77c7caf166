package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.berth.notify.MailText;
import org.berth.notify.Outbox;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.entity.GuestRequest;

/**
 * The mail a request's life sends: to admins when it waits for approval; to its owner on approval,
 * rejection, readiness, lease warnings, expiry and deletion. Queued in the caller's transaction.
 * Text a person typed (a purpose, a reason) is quoted on one line, so it cannot pass for a line
 * Berth wrote.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RequestMail {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm 'UTC'", java.util.Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  @PersistenceContext EntityManager em;
  @Inject Outbox outbox;
  @Inject AccessPoints accessPoints;

  void waitingForApproval(GuestRequest r) {
    String subject = "[Berth] " + r.owner() + " asks for a " + describe(r) + " " + r.name();
    String body =
        r.owner()
            + " asks for a "
            + describe(r)
            + " '"
            + r.name()
            + "':\n\n"
            + details(r)
            + "\nPurpose: "
            + MailText.oneLine(r.purpose())
            + "\n\n"
            + "Approve or reject it: "
            + link("/admin/approvals.xhtml")
            + "\n";
    for (String admin : admins()) {
      outbox.queue(admin, subject, body, r.id());
    }
  }

  void approved(GuestRequest r, boolean byPolicy) {
    toOwner(
        r,
        "[Berth] " + r.name() + " is approved",
        "Your request for a "
            + describe(r)
            + " '"
            + r.name()
            + "' is approved"
            + (byPolicy ? " (it is within the auto-approve limits)" : "")
            + ".\n\n"
            + details(r)
            + "Lease ends: "
            + WHEN.format(r.leaseEnds())
            + "\n\n"
            + "Berth creates the guest now; you get another mail when it is ready.\n");
  }

  void rejected(GuestRequest r, String by) {
    toOwner(
        r,
        "[Berth] " + r.name() + " is rejected",
        "Your request for a "
            + describe(r)
            + " '"
            + r.name()
            + "' was rejected by "
            + by
            + ".\n\n"
            + "Reason: "
            + MailText.oneLine(r.reason())
            + "\n"
            + (r.ledgerHost().isPresent()
                ? "\nThe ledger entry " + r.ledgerHost().get() + " is released.\n"
                : ""));
  }

  /**
   * For provisioning: the guest can be reached. The mail says how, as the guest's page does: its
   * web address and the {@code ~/.ssh/config} block, with a link to the page.
   */
  void ready(GuestRequest r) {
    StringBuilder reach = new StringBuilder();
    Optional<AccessPoints.GuestAccess> access =
        RequestView.of(r, false).accessTarget().flatMap(accessPoints::of);
    if (access.isPresent() && access.get().url() != null) {
      reach.append("Its web address: ").append(access.get().url()).append("\n\n");
    }
    if (access.isPresent() && access.get().ssh() != null) {
      reach
          .append("To reach it with ssh, add this to ~/.ssh/config and run: ssh ")
          .append(r.name())
          .append("\n\n")
          .append(access.get().ssh().indent(4))
          .append('\n');
    }
    toOwner(
        r,
        "[Berth] " + r.name() + " is ready",
        "Your "
            + describe(r)
            + " '"
            + r.name()
            + "' is ready.\n\n"
            + details(r)
            + "Lease ends: "
            + WHEN.format(r.leaseEnds())
            + "\n\n"
            + reach
            + "Its page, with its console and the lease: "
            + link(r)
            + "\n");
  }

  /** For provisioning: the guest could not be created. */
  void failed(GuestRequest r) {
    toOwner(
        r,
        "[Berth] " + r.name() + " could not be created",
        "Berth could not create your "
            + describe(r)
            + " '"
            + r.name()
            + "'.\n\nReason: "
            + MailText.oneLine(r.reason())
            + "\n\nTry again or delete the request: "
            + link(r)
            + "\n");
  }

  void leaseWarning(GuestRequest r, int days) {
    toOwner(
        r,
        "[Berth] The lease of " + r.name() + " ends in " + days + (days == 1 ? " day" : " days"),
        "The lease of your "
            + describe(r)
            + " '"
            + r.name()
            + "' ends on "
            + WHEN.format(r.leaseEnds())
            + ".\n\n"
            + "Then the guest is stopped, and deleted after the grace period.\n"
            + "Extend the lease if you still need it: "
            + link(r)
            + "#extendLease\n");
  }

  void expired(GuestRequest r, Instant deletion) {
    toOwner(
        r,
        "[Berth] The lease of " + r.name() + " has ended",
        "The lease of your "
            + describe(r)
            + " '"
            + r.name()
            + "' has ended; the guest is"
            + " stopped.\n\nIt will be deleted on "
            + WHEN.format(deletion)
            + ".\n");
  }

  void deleted(GuestRequest r, String by) {
    toOwner(
        r,
        "[Berth] " + r.name() + " is deleted",
        "Your "
            + describe(r)
            + " '"
            + r.name()
            + "' is deleted"
            + (by.equals(GuestRequest.BERTH) ? "" : " by " + by)
            + ".\n"
            + (r.reason() == null ? "" : "\nReason: " + MailText.oneLine(r.reason()) + "\n")
            + (r.ledgerHost().isPresent()
                ? "\nThe ledger entry " + r.ledgerHost().get() + " is released.\n"
                : ""));
  }

  private void toOwner(GuestRequest r, String subject, String body) {
    String to = emailOf(r.owner());
    if (to != null) {
      outbox.queue(to, subject, "Hello " + r.owner() + ",\n\n" + body + "\n-- \nBerth\n", r.id());
    }
  }

  private String emailOf(String username) {
    List<?> rows =
        em.createNativeQuery("SELECT email FROM person WHERE username = ?1 AND email IS NOT NULL")
            .setParameter(1, username)
            .getResultList();
    return rows.isEmpty() ? null : (String) rows.get(0);
  }

  @SuppressWarnings("unchecked")
  private List<String> admins() {
    List<String> configured = outbox.settings().admins();
    if (!configured.isEmpty()) {
      return configured;
    }
    return em.createNativeQuery(
            "SELECT email FROM person WHERE 'admin' = ANY (roles) AND email IS NOT NULL"
                + " ORDER BY username")
        .getResultList();
  }

  private static String describe(GuestRequest r) {
    return r.kind() == org.berth.requests.entity.GuestKind.VM ? "VM" : "container";
  }

  private static String details(GuestRequest r) {
    return "  Name:     "
        + r.name()
        + "\n"
        + "  Template: "
        + r.template().name()
        + "\n"
        + "  Size:     "
        + r.cores()
        + " cores, "
        + r.memoryMib()
        + " MiB memory, "
        + r.diskGib()
        + " GiB disk\n"
        + "  Network:  "
        + r.ledgerHost().map(h -> h + (r.ipv4() == null ? "" : " (" + r.ipv4() + ")")).orElse("NAT")
        + "\n"
        + "  Lease:    "
        + r.leaseDays()
        + " days\n";
  }

  private String link(GuestRequest r) {
    return link("/requests/view.xhtml?id=" + r.id());
  }

  private String link(String path) {
    return outbox.settings().portalUrl() + path;
  }
}
