package org.berth.access;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.berth.testing.Curl.Answer;
import org.berth.testing.Exec;
import org.berth.testing.Http;
import org.berth.testing.JumpHost;
import org.berth.testing.NatTopology;
import org.berth.testing.PayaraProcess;
import org.berth.testing.ShippedNginx;
import org.berth.testing.SshClient;
import org.berth.testing.Sshd;
import org.berth.testing.Standalone;
import org.berth.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Access to NAT guests end to end, with real programs: Berth (its own Payara Micro, the simulated
 * cluster it embeds) assigns addresses on an internal network that really exists here, as network
 * namespaces behind a gateway namespace that masquerades; the test gives each READY guest a
 * namespace with that address, a web server and an sshd. Berth writes the routes of a real nginx
 * running the shipped site, and a real sshd runs the shipped jump host configuration, asking this
 * Berth for keys. People then reach their guests as they would: HTTPS by name through nginx, and
 * {@code ssh -J} through the jump host. Traffic goes only to loopback and to the namespaces this
 * test made.
 */
@Standalone
@Order(4)
class GuestAccessIT {

  static final String DOMAIN = "guests.berth.test";
  static final String TOKEN = "e2e-jumphost-token-0123456789";

  static Path dir;
  static NatTopology nat;
  static ShippedNginx nginx;
  static PayaraProcess berth;
  static Sshd jump;
  static int jumpPort;
  static Http http;
  static final List<Sshd> guestSshds = new ArrayList<>();

  static Path keys;
  static String alicePub;
  static SshClient alice;
  static String bobPub;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "guest-access-");
    nat = NatTopology.create("bae", 79);
    Path[] certificate = ShippedNginx.wildcardCertificate(dir, DOMAIN);
    nginx = ShippedNginx.start(dir, DOMAIN, certificate[0], certificate[1]);

    jumpPort = PayaraProcess.freePort();
    List<String> settings = new ArrayList<>(TestDatabase.freshSettings());
    settings.addAll(
        List.of(
            "berth.data-dir=" + dir.resolve("data"),
            "berth.simulator.port=" + PayaraProcess.freePort(),
            "berth.simulator.task-seconds=0.2",
            "berth.jobs.polling-interval-seconds=1",
            "berth.ledger.fetch-interval-seconds=3600",
            // Five guest addresses (.2 to .6) of the namespaces' network, so it can be filled.
            "berth.nat.network=" + natNetwork(),
            "berth.proxy.kind=nginx",
            "berth.proxy.domain=" + DOMAIN,
            "berth.proxy.nginx.routes-dir=" + nginx.routesDir(),
            "berth.proxy.nginx.test-command=" + String.join(" ", nginx.testCommand()),
            "berth.proxy.nginx.reload-command=" + String.join(" ", nginx.reloadCommand()),
            "berth.jumphost.token=" + TOKEN,
            "berth.jumphost.host=127.0.0.1",
            "berth.jumphost.port=" + jumpPort));
    berth = PayaraProcess.start("guest-access", settings);
    http = new Http(berth.base());
    http.awaitLedger(true);
    http.roomFor("alice");
    http.roomFor("bob");

    jump =
        JumpHost.start(
            berth.base(),
            TOKEN,
            jumpPort,
            JumpHost.Account.of("alice"),
            JumpHost.Account.of("bob"));

    keys = Files.createDirectories(dir.resolve("keys"));
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
    alicePub = Sshd.generateKey(keys.resolve("alice"));
    alice = new SshClient(keys.resolve("alice"));
    bobPub = Sshd.generateKey(keys.resolve("bob"));
  }

  @AfterAll
  static void stop() throws Exception {
    List<AutoCloseable> all = new ArrayList<>(guestSshds);
    all.add(jump);
    all.add(berth);
    all.add(nginx);
    all.add(nat);
    for (AutoCloseable c : all) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // stop the others all the same
        }
      }
    }
  }

  @Test
  void aGuestsNameReachesItThroughNginxUntilTheGuestIsDeleted() throws Exception {
    long id = submit("alice", "web", 8080, alicePub);
    JsonObject ready = http.awaitRequest("alice", id, "READY");
    String ip = ready.getJsonObject("address").getString("ipv4");
    assertThat(ready.getJsonObject("access").getString("url"))
        .isEqualTo("https://web." + DOMAIN + "/");
    NatTopology.Guest guest = nat.addGuest("web", ip);
    guest.serveHttp(8080, "the web guest of alice");

    Answer answer = await(() -> nginx.get("web"), a -> a.status() == 200);
    assertThat(answer).isEqualTo(new Answer(200, "the web guest of alice"));
    assertThat(nginx.get("nobody").status()).isEqualTo(404);
    assertThat(routeFiles()).containsExactly("berth-" + id + ".conf");
    assertThat(http.get("api/requests/" + id + "/guest", "alice", "alice").body())
        .contains("https://web." + DOMAIN + "/ leads to " + ip + ":8080");

    http.deleteRequest("alice", id);
    Answer gone = await(() -> nginx.get("web"), a -> a.status() == 404);
    assertThat(gone.status()).as("the route of a deleted guest").isEqualTo(404);
    assertThat(gone.body()).doesNotContain("web guest of alice");
    assertThat(routeFiles()).isEmpty();
    guest.remove();
  }

  @Test
  void sshThroughTheJumpHostReachesTheOwnersGuestOnlyAndARevokedKeyStopsAtOnce() throws Exception {
    JsonObject aliceKey = addKey("alice", alicePub);
    addKey("bob", bobPub);
    long alices = submit("alice", "sshalice", null, alicePub);
    long bobs = submit("bob", "sshbob", null, bobPub);
    JsonObject a = http.awaitRequest("alice", alices, "READY");
    String aliceIp = a.getJsonObject("address").getString("ipv4");
    String bobIp =
        http.awaitRequest("bob", bobs, "READY").getJsonObject("address").getString("ipv4");
    String block = a.getJsonObject("access").getString("ssh");
    assertThat(block)
        .isEqualTo(
            "Host sshalice\n    HostName "
                + aliceIp
                + "\n    User root\n    ProxyJump alice@127.0.0.1:"
                + jumpPort
                + "\n");
    guestWithSshd("sshalice", aliceIp, "alice's guest");
    guestWithSshd("sshbob", bobIp, "bob's guest");

    // The block as alice pastes it into ~/.ssh/config; the test's guests know no root, so an
    // earlier line (the first value wins) logs in as their user.
    SshClient pasted = new SshClient(keys.resolve("alice"), "  User guest\n" + block);
    Exec.Result reached = pasted.run("sshalice", "true");
    assertThat(reached.exit()).as(reached.all() + jump.log()).isZero();
    assertThat(reached.out()).isEqualTo("on alice's guest\n");

    Exec.Result refused = alice.run("-J", "alice@127.0.0.1:" + jumpPort, "guest@" + bobIp, "true");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.all())
        .contains("administratively prohibited")
        .doesNotContain("on bob's guest");

    HttpResponse<String> revoked =
        http.call("DELETE", "api/me/keys/" + aliceKey.getInt("id"), "alice", "alice", null);
    assertThat(revoked.statusCode()).isEqualTo(204);
    Exec.Result afterRevoke = pasted.run("sshalice", "true");
    assertThat(afterRevoke.exit()).isNotZero();
    assertThat(afterRevoke.all())
        .contains("Permission denied (publickey)")
        .doesNotContain("on alice's guest");

    http.deleteRequest("alice", alices);
    http.deleteRequest("bob", bobs);
  }

  @Test
  void aHostileNameIsRefusedBeforeAnyRouteIsWritten() throws IOException {
    List<String> before = routeFiles();
    String hostile = "x;}server{listen 80;}";
    HttpResponse<String> r =
        http.call("POST", "api/requests", "alice", "alice", request(hostile, 8080, alicePub));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Http.json(r).getString("message")).startsWith("name:");
    assertThat(routeFiles()).isEqualTo(before);
  }

  @Test
  void aFullInternalNetworkRefusesTheNextGuestAndStoresNothingUntilAnAddressIsFree() {
    List<Long> held = new ArrayList<>();
    HttpResponse<String> refused = null;
    for (int i = 0; i <= 5 && refused == null; i++) {
      HttpResponse<String> r =
          http.call("POST", "api/requests", "bob", "bob", request("full" + i, null, bobPub));
      if (r.statusCode() == 201) {
        held.add(Http.json(r).getJsonNumber("id").longValue());
      } else {
        refused = r;
      }
    }
    assertThat(refused).as("a submission past the network's five addresses").isNotNull();
    assertThat(refused.statusCode()).isEqualTo(409);
    JsonObject error = Http.json(refused);
    assertThat(error.getString("error")).isEqualTo("nat_network_full");
    assertThat(error.getString("message"))
        .contains("The internal network " + natNetwork() + " has no free address");
    String refusedName = "full" + held.size();
    assertThat(http.get("api/requests?q=" + refusedName, "bob", "bob").body())
        .as("the refused request was not stored")
        .doesNotContain("\"" + refusedName + "\"");

    String freed =
        http.awaitRequest("bob", held.get(0), "READY").getJsonObject("address").getString("ipv4");
    http.deleteRequest("bob", held.remove(0));
    HttpResponse<String> again =
        http.call("POST", "api/requests", "bob", "bob", request(refusedName, null, bobPub));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    long id = Http.json(again).getJsonNumber("id").longValue();
    held.add(id);
    assertThat(http.awaitRequest("bob", id, "READY").getJsonObject("address").getString("ipv4"))
        .isEqualTo(freed);
    for (long h : held) {
      http.awaitRequest("bob", h, "READY");
      http.deleteRequest("bob", h);
    }
  }

  /** Berth's internal network: the first eight addresses of the namespaces' /24. */
  private static String natNetwork() {
    return nat.internalNetwork().replace("/24", "/29");
  }

  /** A guest namespace at {@code ip} whose sshd lets alice's key in and answers {@code marker}. */
  private static void guestWithSshd(String name, String ip, String marker) throws IOException {
    NatTopology.Guest guest = nat.addGuest(name, ip);
    Sshd sshd = Sshd.create(name).commandPrefix("ip", "netns", "exec", guest.namespace());
    guestSshds.add(sshd);
    sshd.account("guest", "/bin/sh");
    sshd.authorizeKeys("guest", alicePub, bobPub);
    Files.writeString(sshd.dir().resolve("marker"), "on " + marker + "\n");
    sshd.start(
        ip,
        22,
        String.join(
            "\n",
            "UsePAM no",
            "PasswordAuthentication no",
            "AuthorizedKeysFile " + sshd.authorizedKeysFiles(),
            "ForceCommand cat " + sshd.dir().resolve("marker")));
  }

  private static List<String> routeFiles() throws IOException {
    try (Stream<Path> files = Files.list(nginx.routesDir())) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private static JsonObject addKey(String user, String key) {
    HttpResponse<String> r =
        http.call(
            "POST",
            "api/me/keys",
            user,
            user,
            Json.createObjectBuilder().add("label", "laptop").add("key", key).build().toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Http.json(r);
  }

  private static long submit(String user, String name, Integer httpPort, String key) {
    HttpResponse<String> r =
        http.call("POST", "api/requests", user, user, request(name, httpPort, key));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Http.json(r).getJsonNumber("id").longValue();
  }

  private static String request(String name, Integer httpPort, String key) {
    var network = Json.createObjectBuilder().add("mode", "nat");
    if (httpPort != null) {
      network.add("httpPort", httpPort);
    }
    return Json.createObjectBuilder()
        .add("kind", "container")
        .add("name", name)
        .add("template", "alpine-3.20-ct")
        .add("cores", 1)
        .add("memoryMiB", 256)
        .add("diskGiB", 2)
        .add("network", network)
        .add("sshKeys", Json.createArrayBuilder().add(key))
        .add("leaseDays", 5)
        .add("purpose", "access tests")
        .build()
        .toString();
  }

  private static Answer await(Supplier<Answer> ask, java.util.function.Predicate<Answer> done) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    Answer answer = ask.get();
    while (!done.test(answer) && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      answer = ask.get();
    }
    nginx.settle();
    return answer;
  }
}
