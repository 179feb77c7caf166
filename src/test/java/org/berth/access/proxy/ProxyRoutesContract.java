package org.berth.access.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.berth.testing.Curl;
import org.berth.testing.Curl.Answer;
import org.berth.testing.NatTopology;
import org.berth.testing.RequiredProgram;
import org.berth.testing.ShippedNginx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link ProxyRoutes} writer must do, observed as a user does: HTTPS requests through
 * the real proxy, started from the configuration Berth ships, to guests on a NAT network of network
 * namespaces. A subclass starts its proxy and hands over its writer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyRoutesContract {

  /** The guests' domain in tests; the shipped configurations say guests.example.org. */
  static final String DOMAIN = "guests.berth.test";

  static final String BODY_A = "guest a";
  static final String BODY_B = "guest b";
  static final String BODY_B_8081 = "guest b on 8081";

  private static final Duration SETTLE = Duration.ofSeconds(5);

  NatTopology nat;
  NatTopology.Guest guestA;
  NatTopology.Guest guestB;

  /** The test's scratch directory: certificate, proxy prefix, logs. */
  Path dir;

  Path certificate;
  Path key;

  /** The NatTopology prefix and network of this class; unique per class. */
  abstract String topologyPrefix();

  abstract int topologyNetwork();

  /** Starts the proxy from the shipped configuration, serving {@link #certificate}. */
  abstract void startProxy() throws Exception;

  /** Stops the proxy; must work after a failed or partial start. */
  abstract void stopProxy() throws Exception;

  abstract ProxyRoutes writer();

  /** The loopback port of the proxy's HTTPS server. */
  abstract int httpsPort();

  /**
   * Everything a change would alter, comparable with {@code equals}: the route files and reloads
   * for nginx, the whole configuration for Caddy.
   */
  abstract Object proxyState() throws Exception;

  @BeforeAll
  void startGuestsAndProxy() throws Exception {
    RequiredProgram.CURL.require();
    RequiredProgram.OPENSSL.require();
    dir =
        Files.createTempDirectory(
            Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize(),
            getClass().getSimpleName() + "-");
    nat = NatTopology.create(topologyPrefix(), topologyNetwork());
    guestA = nat.addGuest("a", nat.address(10));
    guestB = nat.addGuest("b", nat.address(11));
    guestA.serveHttp(8080, BODY_A);
    guestB.serveHttp(8080, BODY_B);
    guestB.serveHttp(8081, BODY_B_8081);
    makeWildcardCertificate();
    startProxy();
  }

  @AfterAll
  void stopProxyAndGuests() throws Exception {
    try {
      stopProxy();
    } finally {
      if (nat != null) {
        nat.close();
      }
    }
  }

  @BeforeEach
  void startWithoutRoutes() {
    for (long id : writer().routes()) {
      writer().remove(id);
    }
  }

  @Test
  void sendsEachNameToItsOwnGuest() {
    assertThat(writer().put(route(1, "web-a", guestA, 8080))).isTrue();
    assertThat(writer().put(route(2, "web-b", guestB, 8080))).isTrue();

    assertThat(awaitAnswer("web-a", 200)).isEqualTo(new Answer(200, BODY_A));
    assertThat(awaitAnswer("web-b", 200)).isEqualTo(new Answer(200, BODY_B));
    Answer unknown = get("nobody");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).doesNotContain("guest a", "guest b");
  }

  @Test
  void puttingTheSameRouteAgainChangesNothing() throws Exception {
    Route route = route(3, "same", guestA, 8080);
    assertThat(writer().put(route)).isTrue();
    awaitAnswer("same", 200);
    Object before = proxyState();

    assertThat(writer().put(route)).isFalse();
    assertThat(writer().put(new Route(3, route.host(), route.address(), route.port()))).isFalse();

    assertThat(proxyState()).isEqualTo(before);
    assertThat(get("same")).isEqualTo(new Answer(200, BODY_A));
  }

  @Test
  void changingTheUpstreamMovesTheTraffic() {
    writer().put(route(4, "moving", guestA, 8080));
    assertThat(awaitAnswer("moving", 200).body()).isEqualTo(BODY_A);

    assertThat(writer().put(route(4, "moving", guestB, 8080))).isTrue();
    assertThat(awaitBody("moving", BODY_B)).isEqualTo(new Answer(200, BODY_B));

    assertThat(writer().put(route(4, "moving", guestB, 8081))).isTrue();
    assertThat(awaitBody("moving", BODY_B_8081)).isEqualTo(new Answer(200, BODY_B_8081));
    assertThat(writer().routes()).containsExactly(4L);
  }

  @Test
  void changingTheNameMovesTheRouteToTheNewName() {
    writer().put(route(5, "old-name", guestA, 8080));
    awaitAnswer("old-name", 200);

    writer().put(route(5, "new-name", guestA, 8080));

    assertThat(awaitAnswer("new-name", 200)).isEqualTo(new Answer(200, BODY_A));
    assertThat(awaitAnswer("old-name", 404).status()).isEqualTo(404);
  }

  @Test
  void aRemovedNameNoLongerReachesItsGuest() {
    writer().put(route(6, "leaving", guestA, 8080));
    writer().put(route(7, "staying", guestB, 8080));
    awaitAnswer("leaving", 200);

    assertThat(writer().remove(6)).isTrue();

    Answer gone = awaitAnswer("leaving", 404);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body()).doesNotContain(BODY_A);
    assertThat(awaitAnswer("staying", 200)).isEqualTo(new Answer(200, BODY_B));
    assertThat(writer().remove(6)).isFalse();
    assertThat(writer().remove(999)).isFalse();
  }

  @Test
  void routesListsExactlyTheRoutesThatAreThere() {
    assertThat(writer().routes()).isEmpty();

    writer().put(route(11, "r11", guestA, 8080));
    writer().put(route(12, "r12", guestA, 8080));
    writer().put(route(13, "r13", guestB, 8080));
    writer().remove(12);
    writer().put(route(11, "r11", guestB, 8080));

    assertThat(writer().routes()).containsExactlyInAnyOrder(11L, 13L);
  }

  @Test
  void hostileNamesAreRefusedBeforeAnythingIsWritten() throws Exception {
    writer().put(route(20, "existing", guestA, 8080));
    awaitAnswer("existing", 200);
    Object before = proxyState();

    for (String host : RouteTest.hostileHosts().toList()) {
      assertThatThrownBy(() -> writer().put(new Route(21, host, guestB.address(), 8080)))
          .as("host %s", host)
          .isInstanceOfSatisfying(InvalidRoute.class, e -> assertThat(e.field()).isEqualTo("host"));
    }

    assertThat(proxyState()).isEqualTo(before);
    assertThat(get("existing")).isEqualTo(new Answer(200, BODY_A));
    assertThat(writer().routes()).containsExactly(20L);
  }

  /** A route for {@code <name>.DOMAIN} to a guest's port. */
  static Route route(long requestId, String name, NatTopology.Guest guest, int port) {
    return new Route(requestId, name + "." + DOMAIN, guest.address(), port);
  }

  /** GET https://{@code <name>.DOMAIN}:port/ through the proxy, checking its certificate. */
  Answer get(String name) {
    return curl(
        "--cacert",
        certificate.toString(),
        "--resolve",
        name + "." + DOMAIN + ":" + httpsPort() + ":127.0.0.1",
        "https://" + name + "." + DOMAIN + ":" + httpsPort() + "/");
  }

  /**
   * Asks until the answer has {@code status}, for at most five seconds, and returns the last
   * answer. Proxies switch to a new configuration a moment after they accepted it (nginx starts new
   * workers after the reload signal).
   */
  Answer awaitAnswer(String name, int status) {
    return await(name, answer -> answer.status() == status);
  }

  Answer awaitBody(String name, String body) {
    return await(name, answer -> answer.body().equals(body));
  }

  private Answer await(String name, java.util.function.Predicate<Answer> done) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Answer answer = get(name);
    while (!done.test(answer) && System.nanoTime() < deadline) {
      sleep(50);
      answer = get(name);
    }
    settle();
    return answer;
  }

  /**
   * Waits until the proxy answers from its newest configuration only. nginx's workers of the
   * previous configuration keep accepting connections for a moment after the new ones started.
   */
  void settle() {}

  /** Runs curl; the status is 0 if no HTTP answer came (the body then says why). */
  static Answer curl(String... args) {
    return Curl.run(args);
  }

  private void makeWildcardCertificate() throws IOException {
    Path[] made = ShippedNginx.wildcardCertificate(dir, DOMAIN);
    certificate = made[0];
    key = made[1];
  }

  /** {@code text} with {@code placeholder} replaced; fails if the shipped file lacks it. */
  static String substitute(String text, String placeholder, String value) {
    return ShippedNginx.substitute(text, placeholder, value);
  }

  static void sleep(long millis) {
    Curl.sleep(millis);
  }

  /** Waits until a process accepts connections on a loopback port, or fails with its log. */
  static void awaitPort(int port, Process process, Path log) throws IOException {
    ShippedNginx.awaitPort(port, process, log);
  }

  /** Stops a process (TERM, then KILL after ten seconds) with everything it forked. */
  static void stop(Process process) throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
