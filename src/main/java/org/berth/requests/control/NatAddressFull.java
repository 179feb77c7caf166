package org.berth.requests.control;

import org.berth.platform.rest.ApiException;

/** Every address of the internal network is held by a live NAT guest. */
public class NatAddressFull extends ApiException {
  private static final long serialVersionUID = 1L;

  public NatAddressFull(String network) {
    super(
        "The internal network "
            + network
            + " has no free address for another NAT guest; delete a guest or ask an admin to"
            + " widen berth.nat.network");
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String code() {
    return "nat_network_full";
  }
}
