package org.berth.requests.boundary;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.berth.platform.value.GuestPlace;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestState;

/** A request as pages and the API show it; read-only, detached from the database. */
public record RequestView(
    long id,
    String owner,
    RequestState state,
    GuestKind kind,
    String name,
    String template,
    String osUser,
    int cores,
    int memoryMib,
    int diskGib,
    NetworkMode networkMode,
    Integer httpPort,
    String host,
    Ipv4Address ipv4,
    Ipv6Address ipv6,
    MacAddress mac,
    boolean addressReleased,
    String claimCommit,
    String releaseCommit,
    List<String> sshKeys,
    int leaseDays,
    Instant leaseEnds,
    String purpose,
    String reason,
    GuestPlace guest,
    Instant created,
    Instant updated,
    long version,
    List<Event> events) {

  /** One line of the audit trail. */
  public record Event(Instant at, String actor, RequestState from, RequestState to, String reason) {

    public String fromLabel() {
      return from == null ? "" : from.label();
    }
  }

  static RequestView of(GuestRequest r, boolean withEvents) {
    return new RequestView(
        r.id(),
        r.owner(),
        r.state(),
        r.kind(),
        r.name(),
        r.template().name(),
        r.template().spec().osUser(),
        r.cores(),
        r.memoryMib(),
        r.diskGib(),
        r.networkMode(),
        r.httpPort(),
        r.ledgerHost().orElse(null),
        r.ipv4(),
        r.ipv6(),
        r.mac(),
        r.addressReleasedAt() != null,
        r.claimCommit(),
        r.releaseCommit(),
        r.sshKeys(),
        r.leaseDays(),
        r.leaseEnds(),
        r.purpose(),
        r.reason(),
        r.guestPlace(),
        r.created(),
        r.updated(),
        r.version(),
        withEvents
            ? r.events().stream()
                .map(e -> new Event(e.at(), e.actor(), e.from(), e.to(), e.reason()))
                .toList()
            : List.of());
  }

  /**
   * The guest as people reach it, once it is READY: a NAT guest at its internal address (through
   * the jump host and the reverse proxy), a ledger guest directly at its entry's host name.
   */
  public Optional<AccessPoints.Guest> accessTarget() {
    if (state != RequestState.READY) {
      return Optional.empty();
    }
    boolean nat = networkMode == NetworkMode.NAT;
    String hostName = nat ? (ipv4 == null ? null : ipv4.toString()) : host;
    if (hostName == null) {
      return Optional.empty();
    }
    return Optional.of(new AccessPoints.Guest(name, nat, hostName, httpPort, osUser, owner));
  }

  /** Where the guest lives on the network, in a few words for tables. */
  public String addressLabel() {
    if (networkMode == NetworkMode.NAT) {
      String where = ipv4 == null || addressReleased ? "NAT" : "NAT " + ipv4;
      return httpPort == null ? where : where + ", HTTP port " + httpPort;
    }
    return ipv4 != null ? host + " (" + ipv4 + ")" : ipv6 != null ? host + " (" + ipv6 + ")" : host;
  }

  public String stateLabel() {
    return state.label();
  }

  public String kindLabel() {
    return kind.label();
  }

  /** Whether the owner may still withdraw it (cancel, or delete its guest). */
  public boolean withdrawable() {
    return switch (state) {
      case SUBMITTED -> networkMode == NetworkMode.NAT || claimCommit != null;
      case APPROVED, READY, EXPIRED, FAILED -> true;
      default -> false;
    };
  }

  public boolean extendable() {
    return state.leaseRuns() && leaseEnds != null;
  }

  public boolean decidable() {
    return state == RequestState.SUBMITTED
        && (networkMode == NetworkMode.NAT || claimCommit != null);
  }

  /** The node of the request's guest, or null before it has one. */
  public String guestNode() {
    return guest == null ? null : guest.node();
  }
}
