package org.berth.access.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTest {

  /** Names that would inject configuration into nginx or Caddy, or are no DNS names at all. */
  static Stream<String> hostileHosts() {
    return Stream.of(
        "a;}server{listen 80;}",
        "web.example.org;}server{listen 80;}",
        "x y.example.org",
        "web.example.org\ninclude /etc/passwd;",
        "web.example.org\n",
        "web.example.org\r\nX-Injected: 1",
        "../../etc.example.org",
        "\"quoted\".example.org",
        "web.example.org\"",
        "Web.Example.org",
        "WEB.EXAMPLE.ORG",
        "",
        " ",
        "localhost",
        "~^.*$",
        "*.example.org",
        "$host.example.org",
        "web.example.org:8080",
        "-web.example.org",
        "web-.example.org",
        "web..example.org",
        ".example.org",
        "web.example.org.",
        "wéb.example.org",
        "a".repeat(64) + ".example.org",
        tooLong());
  }

  /** 254 characters: one more than a DNS name may have. */
  static String tooLong() {
    String host =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(62);
    assertThat(host).hasSize(254);
    return host;
  }

  @ParameterizedTest
  @MethodSource("hostileHosts")
  void refusesHostsThatAreNotLowerCaseDnsNames(String host) {
    assertThatThrownBy(() -> new Route(42, host, "10.77.0.5", 8080))
        .isInstanceOfSatisfying(InvalidRoute.class, e -> assertThat(e.field()).isEqualTo("host"))
        .hasMessageStartingWith("host: ")
        .message()
        .doesNotContain(host.isBlank() ? "\u0000" : host);
  }

  @Test
  void refusesAMissingHost() {
    assertThatThrownBy(() -> new Route(42, null, "10.77.0.5", 8080))
        .isInstanceOfSatisfying(InvalidRoute.class, e -> assertThat(e.field()).isEqualTo("host"));
  }

  @Test
  void acceptsNamesUpToTheDnsLimits() {
    String longest =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
    assertThat(longest).hasSize(253);

    assertThat(new Route(1, longest, "10.77.0.5", 80).host()).isEqualTo(longest);
    assertThat(new Route(1, "web.guests.example.org", "10.77.0.5", 80).host())
        .isEqualTo("web.guests.example.org");
    assertThat(new Route(1, "x-1.y2.example.org", "10.77.0.5", 80).host())
        .isEqualTo("x-1.y2.example.org");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.77.0.256",
        "10.77.0",
        "10.77.0.5.6",
        "010.77.0.5",
        "10.77.0.5 ",
        "10.77.0.5;",
        "::1",
        "guest.example.org",
        ""
      })
  void refusesAddressesThatAreNotDottedIpv4(String address) {
    assertThatThrownBy(() -> new Route(42, "web.example.org", address, 8080))
        .isInstanceOfSatisfying(
            InvalidRoute.class, e -> assertThat(e.field()).isEqualTo("address"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536})
  void refusesPortsOutsideTheTcpRange(int port) {
    assertThatThrownBy(() -> new Route(42, "web.example.org", "10.77.0.5", port))
        .isInstanceOfSatisfying(InvalidRoute.class, e -> assertThat(e.field()).isEqualTo("port"));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -42})
  void refusesRequestIdsThatAreNotPositive(long requestId) {
    assertThatThrownBy(() -> new Route(requestId, "web.example.org", "10.77.0.5", 8080))
        .isInstanceOfSatisfying(
            InvalidRoute.class, e -> assertThat(e.field()).isEqualTo("requestId"));
  }

  @Test
  void namesItselfAfterTheRequestAndDialsAddressAndPort() {
    Route route = new Route(42, "web.guests.example.org", "10.77.0.5", 8080);

    assertThat(route.id()).isEqualTo("berth-42").isEqualTo(Route.idOf(42));
    assertThat(route.upstream()).isEqualTo("10.77.0.5:8080");
  }

  @Test
  void equalRoutesAreEqualValues() {
    assertThat(new Route(7, "a.example.org", "10.0.0.1", 80))
        .isEqualTo(new Route(7, "a.example.org", "10.0.0.1", 80))
        .isNotEqualTo(new Route(7, "a.example.org", "10.0.0.1", 81));
  }
}
