package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.berth.notify.MailSettings;
import org.berth.notify.Outbox;
import org.berth.platform.value.GuestPlace;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.entity.GuestRequest;
import org.berth.testing.TestRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mail a request sends, as composed: free text stored before it had to be one line (or from the
 * hypervisor) is quoted on one line and cannot add lines of its own.
 */
class RequestMailTest {

  static final String FAKE = "x\nApproved-By: admin\n\nClick http://evil";

  record Queued(String to, String subject, String body) {}

  final List<Queued> queued = new ArrayList<>();
  final RequestMail mail = new RequestMail();

  @BeforeEach
  void wire() {
    mail.accessPoints = new AccessPoints("guests.example.org", "jump.example.org", 2222, 22);
    MailSettings settings =
        new MailSettings(
            Optional.empty(),
            25,
            Optional.empty(),
            Optional.empty(),
            false,
            "berth@example.com",
            "http://berth.test",
            List.of("admin@example.com"),
            20);
    mail.outbox =
        new Outbox() {
          @Override
          public MailSettings settings() {
            return settings;
          }

          @Override
          public void queue(String recipient, String subject, String body, Long requestId) {
            queued.add(new Queued(recipient, subject, body));
          }
        };
    // The only query RequestMail makes here: the owner's mail address.
    Query email =
        (Query)
            Proxy.newProxyInstance(
                Query.class.getClassLoader(),
                new Class<?>[] {Query.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "setParameter" -> proxy;
                      case "getResultList" -> List.of("alice@example.com");
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    mail.em =
        (EntityManager)
            Proxy.newProxyInstance(
                EntityManager.class.getClassLoader(),
                new Class<?>[] {EntityManager.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("createNativeQuery")) {
                    return email;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
  }

  static GuestRequest request(String purpose) {
    return TestRequests.onNat(
        TestRequests.debianVm(), "web-1", null, 10, purpose, Instant.parse("2026-12-01T10:00:00Z"));
  }

  @Test
  void theAdminsMailQuotesAMultiLinePurposeOnOneLine() {
    mail.waitingForApproval(request(FAKE));

    assertThat(queued).hasSize(1);
    String body = queued.get(0).body();
    assertThat(body).contains("\nPurpose: x Approved-By: admin  Click http://evil\n");
    assertThat(body.lines()).noneMatch(l -> l.startsWith("Approved-By") || l.startsWith("Click"));
    assertThat(queued.get(0).subject()).doesNotContain("\n", "\r");
  }

  @Test
  void theRejectionMailQuotesAMultiLineReasonOnOneLine() {
    GuestRequest r = request("integration tests");
    r.reject("admin", "no\r\nApproved-By: admin", Instant.parse("2026-12-01T11:00:00Z"));

    mail.rejected(r, "admin");

    assertThat(queued).hasSize(1);
    assertThat(queued.get(0).to()).isEqualTo("alice@example.com");
    assertThat(queued.get(0).body()).contains("\nReason: no  Approved-By: admin\n");
    assertThat(queued.get(0).body().lines()).noneMatch(l -> l.startsWith("Approved-By"));
  }

  @Test
  void theFailureMailQuotesTheHypervisorsReasonOnOneLine() {
    GuestRequest r = request("integration tests");
    Instant now = Instant.parse("2026-12-01T11:00:00Z");
    r.approve("admin", null, now);
    r.startProvisioning(GuestRequest.BERTH, now);
    r.fail("clone failed:\nTASK ERROR: no space", now);

    mail.failed(r);

    assertThat(queued.get(0).body())
        .contains("\nReason: clone failed: TASK ERROR: no space\n")
        .doesNotContain("\nTASK ERROR");
  }

  /** The ready mail says how to reach the guest, as its page does, and links to the page. */
  @Test
  void theReadyMailCarriesTheWebAddressTheSshBlockAndALinkToTheGuestsPage() {
    GuestRequest r =
        TestRequests.onNat(
            TestRequests.debianVm(),
            "web-1",
            8080,
            10,
            "testing",
            Instant.parse("2026-12-01T10:00:00Z"));
    org.berth.testing.Components.inject(r, "id", 42L); // as stored
    Instant now = Instant.parse("2026-12-01T11:00:00Z");
    r.approve("admin", null, now);
    r.assignNatAddress(Ipv4Address.parse("10.77.0.5"), MacAddress.of("02:be:27:00:00:05"), now);
    r.startProvisioning(GuestRequest.BERTH, now);
    r.markReady(new GuestPlace("pve1", 10005), now);

    mail.ready(r);

    assertThat(queued).hasSize(1);
    String body = queued.get(0).body();
    assertThat(body)
        .contains("Its web address: https://web-1.guests.example.org/\n")
        .contains("add this to ~/.ssh/config and run: ssh web-1\n")
        .contains(
            "    Host web-1\n"
                + "        HostName 10.77.0.5\n"
                + "        User debian\n"
                + "        ProxyJump alice@jump.example.org:2222\n")
        .contains(
            "Its page, with its console and the lease: http://berth.test/requests/view.xhtml?id=");
  }

  @Test
  void theLeaseWarningLinksToExtendingTheLease() {
    GuestRequest r = request("testing");
    Instant now = Instant.parse("2026-12-01T11:00:00Z");
    r.approve("admin", null, now);

    mail.leaseWarning(r, 3);

    assertThat(queued.get(0).body())
        .containsPattern(
            "Extend the lease if you still need it: http://berth.test/requests/view"
                + "\\.xhtml\\?id=\\S*#extendLease\n");
  }
}
