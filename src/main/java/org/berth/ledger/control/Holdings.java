package org.berth.ledger.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;

/**
 * The entries live requests hold, as their claims recorded them. A commit people push must not take
 * one away: deleting a held entry, moving it out of the ledger, or changing its MAC or an address
 * would leave a running guest with an address the ledger no longer vouches for. Such a commit is a
 * ledger problem naming the request; entries are given up through Berth (deleting the guest
 * releases its entry).
 */
@FunctionalInterface
public interface Holdings {

  /** For a ledger no request holds anything of (tools, tests). */
  Holdings NONE = List::of;

  /** The entries held now. */
  List<Holding> live();

  /**
   * One held entry.
   *
   * @param host the entry's host name as the claim recorded it
   * @param ipv4 the IPv4 address the claim recorded, or {@code null}
   * @param ipv6 the IPv6 address the claim recorded, or {@code null}
   * @param request how people name the request, such as {@code request 42}
   */
  record Holding(
      String host,
      MacAddress mac,
      Ipv4Address ipv4,
      Ipv6Address ipv6,
      String holder,
      String request) {}

  /** What {@code ledger} takes away from the holdings, one problem per entry and key. */
  static List<Problem> problems(LedgerSnapshot ledger, List<Holding> holdings, String ledgerPath) {
    List<Problem> problems = new ArrayList<>();
    for (Holding held : holdings) {
      String who = held.request() + " of " + held.holder();
      Optional<LedgerEntry> now;
      try {
        now = ledger.entry(Hostname.of(held.host()));
      } catch (IllegalArgumentException e) {
        continue; // never a valid host, so never an entry Berth claimed
      }
      if (now.isEmpty()) {
        problems.add(
            new Problem(
                ledgerPath,
                0,
                held.host(),
                "the entry is gone from the ledger, but "
                    + who
                    + " holds it; put it back (deleting the guest in Berth gives it up)"));
        continue;
      }
      LedgerEntry e = now.get();
      changed(problems, e, who, "MAC", held.mac(), e.mac());
      changed(problems, e, who, "IPv4", held.ipv4(), e.ipv4());
      changed(problems, e, who, "IPv6", held.ipv6(), e.ipv6());
    }
    return problems;
  }

  private static void changed(
      List<Problem> problems, LedgerEntry entry, String who, String key, Object held, Object now) {
    if (held == null) {
      return; // an address added to a held entry takes nothing away
    }
    if (!Objects.equals(held, now)) {
      problems.add(
          new Problem(
              entry.file(),
              entry.line(),
              entry.host().value(),
              key
                  + (now == null
                      ? " " + held + " was removed"
                      : " changed from " + held + " to " + now)
                  + " while "
                  + who
                  + " holds the entry; change it back (deleting the guest in Berth gives it up)"));
    }
  }
}
