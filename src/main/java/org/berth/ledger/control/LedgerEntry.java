package org.berth.ledger.control;

import java.util.Optional;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;

/**
 * One pre-registered address as the ledger file states it.
 *
 * @param file the file's path in the ledger repository
 * @param line the 1-based line where the entry starts
 * @param host the host name
 * @param ipv4 the IPv4 address, or {@code null}
 * @param ipv6 the IPv6 address, or {@code null}
 * @param mac the MAC address
 * @param user who holds it, or {@code null} when it is free
 * @param date the {@code Date} written with the claim, or {@code null}
 */
public record LedgerEntry(
    String file,
    int line,
    Hostname host,
    Ipv4Address ipv4,
    Ipv6Address ipv6,
    MacAddress mac,
    String user,
    String date) {

  public boolean isFree() {
    return user == null || user.isBlank();
  }

  public Optional<String> holder() {
    return isFree() ? Optional.empty() : Optional.of(user);
  }
}
