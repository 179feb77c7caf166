package org.berth.hypervisor.libvirt;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.HypervisorFailure;

/**
 * Host reservations in the DHCP server of a libvirt-managed network: the guest's MAC gets the
 * guest's address and name, the way a site's IPAM hands a registered address to its registered MAC.
 * Guests have their address from cloud-init as well; the reservation is for software in the guest
 * that asks DHCP, and keeps the network's own range from handing the address to anyone else. Only
 * guests on the network's bridge with a fixed IPv4 address get one.
 */
final class DhcpReservations {

  private static final Pattern BRIDGE = Pattern.compile("(?m)^Bridge:\\s+(\\S+)\\s*$");
  private static final Pattern ACTIVE = Pattern.compile("(?m)^Active:\\s+yes\\s*$");
  private static final Pattern FIXED_IPV4 =
      Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})/\\d{1,2}");

  private DhcpReservations() {}

  /**
   * Reserves the spec's address for its MAC, replacing what an earlier attempt reserved for the
   * same MAC. Nothing happens for a guest on another bridge or without a fixed address.
   */
  static void reserve(Virsh v, String network, GuestSpec spec) {
    Matcher fixed = spec.ipv4() == null ? null : FIXED_IPV4.matcher(spec.ipv4());
    if (fixed == null || !fixed.matches()) {
      return;
    }
    String info = v.run("net-info", network);
    if (!bridge(info).equals(Optional.ofNullable(spec.bridge()))) {
      return;
    }
    String mac = spec.mac().toLowerCase(Locale.ROOT);
    release(v, network, mac, info);
    update(
        v,
        network,
        info,
        "add-last",
        "<host mac='"
            + DomainXml.attribute(mac)
            + "' name='"
            + DomainXml.attribute(spec.name())
            + "' ip='"
            + fixed.group(1)
            + "'/>");
  }

  /** Takes back the reservation of {@code mac}, if the network has one. */
  static void release(Virsh v, String network, String mac) {
    release(v, network, mac.toLowerCase(Locale.ROOT), v.run("net-info", network));
  }

  private static void release(Virsh v, String network, String mac, String info) {
    try {
      update(v, network, info, "delete", "<host mac='" + DomainXml.attribute(mac) + "'/>");
    } catch (HypervisorFailure e) {
      if (!e.getMessage().contains("couldn't locate a matching dhcp host entry")) {
        throw e;
      }
    }
  }

  /** One change to the network's definition, and to the running network when it runs. */
  private static void update(Virsh v, String network, String info, String command, String xml) {
    if (ACTIVE.matcher(info).find()) {
      v.run("net-update", network, command, "ip-dhcp-host", xml, "--config", "--live");
    } else {
      v.run("net-update", network, command, "ip-dhcp-host", xml, "--config");
    }
  }

  private static Optional<String> bridge(String info) {
    Matcher m = BRIDGE.matcher(info);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
