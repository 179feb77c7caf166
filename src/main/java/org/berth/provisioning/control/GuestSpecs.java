package org.berth.provisioning.control;

import java.util.HexFormat;
import java.util.Locale;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.NetworkMode;

/** Builds the hypervisor's view of a request's guest from the request and the network settings. */
public final class GuestSpecs {

  /** How guests of one network are attached and addressed. */
  public record Network(
      String bridge, int ipv4Prefix, String ipv4Gateway, int ipv6Prefix, String ipv6Gateway) {}

  private GuestSpecs() {}

  /**
   * A ledger guest gets its entry's MAC and addresses with the network's prefix lengths and
   * gateways. A NAT guest gets a locally administered MAC made from its request id (unique among
   * Berth's guests) and DHCP on the internal bridge.
   */
  public static GuestSpec of(GuestRequest r, GuestRef ref, Network ledger, Network nat) {
    boolean onLedger = r.networkMode() == NetworkMode.LEDGER;
    Network net = onLedger ? ledger : nat;
    String mac = onLedger ? r.mac().toUpperCase(Locale.ROOT) : natMac(r.id());
    String ipv4 = null;
    String ipv6 = null;
    if (onLedger) {
      ipv4 = r.ipv4() == null ? null : r.ipv4() + "/" + net.ipv4Prefix();
      ipv6 = r.ipv6() == null ? null : r.ipv6() + "/" + net.ipv6Prefix();
    } else {
      ipv4 = "dhcp";
    }
    return new GuestSpec(
        r.id(),
        r.owner(),
        ref,
        r.name(),
        r.template().spec().hypervisorRef(),
        r.template().spec().fullClone(),
        r.cores(),
        r.memoryMib(),
        r.diskGib(),
        net.bridge(),
        mac,
        ipv4,
        onLedger && ipv4 != null ? net.ipv4Gateway() : null,
        ipv6,
        onLedger && ipv6 != null ? net.ipv6Gateway() : null,
        r.template().spec().osUser(),
        r.sshKeys());
  }

  /** {@code 02:42:xx:xx:xx:xx}: locally administered, unicast, from the request id. */
  static String natMac(long requestId) {
    byte[] b = new byte[6];
    b[0] = 0x02;
    b[1] = 0x42;
    for (int i = 5; i >= 2; i--) {
      b[i] = (byte) (requestId >> (8 * (5 - i)));
    }
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(b);
  }
}
