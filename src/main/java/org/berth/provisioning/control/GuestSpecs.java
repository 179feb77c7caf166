package org.berth.provisioning.control;

import java.util.List;
import java.util.Locale;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.NetworkMode;

/** Builds the hypervisor's view of a request's guest from the request and the network settings. */
public final class GuestSpecs {

  /**
   * How guests of one network are attached and addressed.
   *
   * @param dns the guests' DNS servers; empty leaves the hypervisor's default
   */
  public record Network(
      String bridge,
      int ipv4Prefix,
      String ipv4Gateway,
      int ipv6Prefix,
      String ipv6Gateway,
      List<String> dns) {

    public Network {
      dns = dns == null ? List.of() : List.copyOf(dns);
    }
  }

  private GuestSpecs() {}

  /**
   * A guest gets the addresses and MAC its request holds: a ledger guest its entry's, a NAT guest
   * the ones assigned on the internal network at approval. Each gets its network's prefix lengths,
   * gateways and DNS servers.
   *
   * @throws HypervisorFailure (permanent) for a NAT request without an internal address
   */
  public static GuestSpec of(GuestRequest r, GuestRef ref, Network ledger, Network nat) {
    boolean onLedger = r.networkMode() == NetworkMode.LEDGER;
    Network net = onLedger ? ledger : nat;
    if (!onLedger && (r.ipv4() == null || r.mac() == null)) {
      throw new HypervisorFailure(
          "the request has no address on the internal network; try again to assign one", false);
    }
    String ipv4 = r.ipv4() == null ? null : r.ipv4() + "/" + net.ipv4Prefix();
    String ipv6 = r.ipv6() == null ? null : r.ipv6() + "/" + net.ipv6Prefix();
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
        r.mac().toString().toUpperCase(Locale.ROOT),
        ipv4,
        ipv4 != null ? net.ipv4Gateway() : null,
        ipv6,
        ipv6 != null ? net.ipv6Gateway() : null,
        net.dns(),
        r.template().spec().osUser(),
        r.sshKeys());
  }
}
