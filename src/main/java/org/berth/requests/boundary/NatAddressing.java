package org.berth.requests.boundary;

import java.util.Optional;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;

/**
 * What approval needs from the internal network of NAT guests: the next free address and its MAC,
 * handed out in the approving transaction. The access feature implements it; requests records the
 * address on the request itself.
 */
public interface NatAddressing {

  /** An address and MAC on the internal network. */
  record Lease(Ipv4Address ipv4, MacAddress mac) {}

  /**
   * The next free address, held for the caller's transaction (instances sharing the database take
   * turns); empty when every address of the network is held.
   */
  Optional<Lease> next();

  /** The network, as people name it in a refusal ({@code 10.77.0.0/24}). */
  String network();
}
