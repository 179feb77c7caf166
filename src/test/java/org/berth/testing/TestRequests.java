package org.berth.testing;

import java.time.Instant;
import java.util.List;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestForm;
import org.berth.requests.entity.Template;
import org.berth.requests.entity.TemplateSpec;

/**
 * Requests as the tests of entities and stores need them: a Debian 12 VM (2 cores, 2 GiB, 20 GiB,
 * one fresh key) of alice's, on a ledger entry or on the NAT network.
 */
public final class TestRequests {

  private TestRequests() {}

  /** The demo's Debian 12 VM template (Proxmox template 9000, user debian), as a spec. */
  public static final TemplateSpec DEBIAN_VM =
      new TemplateSpec(
          "debian-12",
          GuestKind.VM,
          "9000",
          "debian",
          "",
          2,
          8,
          2048,
          16384,
          20,
          200,
          true,
          TemplateSpec.DEFAULT_SNAPSHOTS);

  /** The demo's Debian 12 VM template (Proxmox template 9000, user debian). */
  public static Template debianVm() {
    return new Template(DEBIAN_VM);
  }

  /** Alice's VM on the ledger entry {@code host}, submitted at {@code at}. */
  public static GuestRequest onLedger(
      Template template, String name, String host, int leaseDays, Instant at) {
    return vm(template, name, NetworkMode.LEDGER, host, null, leaseDays, "testing", at);
  }

  /** Alice's VM on the NAT network, its web server on {@code httpPort} (or none). */
  public static GuestRequest onNat(
      Template template, String name, Integer httpPort, int leaseDays, String purpose, Instant at) {
    return vm(template, name, NetworkMode.NAT, null, httpPort, leaseDays, purpose, at);
  }

  private static GuestRequest vm(
      Template template,
      String name,
      NetworkMode mode,
      String host,
      Integer httpPort,
      int leaseDays,
      String purpose,
      Instant at) {
    return new GuestRequest(
        new RequestForm(
            GuestKind.VM,
            name,
            template.name(),
            2,
            2048,
            20,
            mode,
            host,
            httpPort,
            List.of(TestKeys.ed25519("alice@laptop")),
            leaseDays,
            purpose),
        template,
        "alice",
        at);
  }
}
