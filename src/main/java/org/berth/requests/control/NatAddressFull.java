package org.berth.requests.control;

import org.berth.platform.refusal.Refusal;

/** Every address of the internal network is held by a live NAT guest. */
public class NatAddressFull extends Refusal {
  private static final long serialVersionUID = 1L;

  public NatAddressFull(String network) {
    super(
        Kind.CONFLICT,
        "nat_network_full",
        "The internal network "
            + network
            + " has no free address for another NAT guest; delete a guest or ask an admin to"
            + " widen berth.nat.network");
  }
}
