package org.berth.requests.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.berth.requests.control.AccessPoints.Guest;
import org.berth.requests.control.AccessPoints.GuestAccess;
import org.junit.jupiter.api.Test;

class AccessPointsTest {

  static final AccessPoints POINTS =
      new AccessPoints("guests.example.org", "jump.example.org", 22, 22);

  @Test
  void aNatGuestWithAWebPortGetsItsAddressAndABlockThroughTheJumpHost() {
    GuestAccess a =
        POINTS.of(new Guest("web", true, "10.77.0.5", 8080, "debian", "alice")).orElseThrow();
    assertThat(a.url()).isEqualTo("https://web.guests.example.org/");
    assertThat(a.ssh())
        .isEqualTo(
            "Host web\n    HostName 10.77.0.5\n    User debian\n    ProxyJump alice@jump.example.org\n");
  }

  @Test
  void aLedgerGuestIsReachedDirectlyAndHasNoWebAddress() {
    GuestAccess a =
        POINTS.of(new Guest("db", false, "pvm001.example.com", null, "root", "bob")).orElseThrow();
    assertThat(a.url()).isNull();
    assertThat(a.ssh()).isEqualTo("Host db\n    HostName pvm001.example.com\n    User root\n");
  }

  @Test
  void portsOtherThan22AreSpelledOut() {
    AccessPoints points = new AccessPoints("guests.example.org", "jump.example.org", 2222, 2200);
    assertThat(points.of(new Guest("web", true, "10.77.0.5", null, "debian", "alice")))
        .get()
        .extracting(GuestAccess::ssh)
        .isEqualTo(
            "Host web\n    HostName 10.77.0.5\n    Port 2200\n    User debian\n"
                + "    ProxyJump alice@jump.example.org:2222\n");
  }

  @Test
  void withoutAProxyDomainOrJumpHostANatGuestShowsOnlyWhatExists() {
    AccessPoints noJump = new AccessPoints("guests.example.org", null, 22, 22);
    GuestAccess a =
        noJump.of(new Guest("web", true, "10.77.0.5", 8080, "debian", "alice")).orElseThrow();
    assertThat(a.url()).isEqualTo("https://web.guests.example.org/");
    assertThat(a.ssh()).as("no way in by SSH without a jump host").isNull();

    AccessPoints nothing = new AccessPoints(null, null, 22, 22);
    assertThat(nothing.of(new Guest("web", true, "10.77.0.5", 8080, "debian", "alice"))).isEmpty();
    assertThat(POINTS.of(new Guest("web", true, null, 8080, "debian", "alice")))
        .as("a guest without an address yet")
        .isEmpty();
  }
}
