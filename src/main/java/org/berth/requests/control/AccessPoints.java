package org.berth.requests.control;

import java.util.Optional;

/**
 * Where people reach guests from: the reverse proxy's domain and the SSH jump host. Turns a guest
 * into what its page and the API show: the HTTPS address of a NAT guest's web port, and a ready
 * {@code ~/.ssh/config} block (through the jump host for NAT guests, direct for ledger guests).
 *
 * @param proxyDomain the domain under which NAT guests get names, or null without a reverse proxy
 * @param jumpHost the jump host's public name, or null if there is none
 * @param jumpPort the jump host's SSH port
 * @param guestSshPort the port guests' sshd listens on
 */
public record AccessPoints(String proxyDomain, String jumpHost, int jumpPort, int guestSshPort)
    implements java.io.Serializable {

  /** How to reach one guest: its web address (or null) and its {@code ~/.ssh/config} block. */
  public record GuestAccess(String url, String ssh) {}

  /** One guest, as far as reaching it goes. */
  public record Guest(
      String name, boolean nat, String hostName, Integer httpPort, String user, String owner) {}

  /**
   * How to reach {@code guest}; empty when it cannot be reached yet (no address) or a NAT guest's
   * jump host is not configured and it has no web port.
   */
  public Optional<GuestAccess> of(Guest guest) {
    if (guest.hostName() == null) {
      return Optional.empty();
    }
    String url =
        guest.nat() && guest.httpPort() != null && proxyDomain != null
            ? "https://" + guest.name() + "." + proxyDomain + "/"
            : null;
    String ssh = guest.nat() && jumpHost == null ? null : sshConfig(guest);
    return url == null && ssh == null ? Optional.empty() : Optional.of(new GuestAccess(url, ssh));
  }

  private String sshConfig(Guest guest) {
    StringBuilder block =
        new StringBuilder("Host ")
            .append(guest.name())
            .append("\n    HostName ")
            .append(guest.hostName())
            .append('\n');
    if (guestSshPort != 22) {
      block.append("    Port ").append(guestSshPort).append('\n');
    }
    if (guest.user() != null) {
      block.append("    User ").append(guest.user()).append('\n');
    }
    if (guest.nat()) {
      block
          .append("    ProxyJump ")
          .append(guest.owner())
          .append('@')
          .append(jumpHost)
          .append(jumpPort == 22 ? "" : ":" + jumpPort)
          .append('\n');
    }
    return block.toString();
  }
}
