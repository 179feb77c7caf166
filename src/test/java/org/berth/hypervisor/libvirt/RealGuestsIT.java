package org.berth.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.berth.testing.Await;
import org.berth.testing.Browser;
import org.berth.testing.Curl;
import org.berth.testing.Exec;
import org.berth.testing.Http;
import org.berth.testing.JumpHost;
import org.berth.testing.LibvirtTemplate;
import org.berth.testing.Libvirtd;
import org.berth.testing.NatTopology;
import org.berth.testing.PayaraProcess;
import org.berth.testing.ShippedNginx;
import org.berth.testing.SshClient;
import org.berth.testing.Sshd;
import org.berth.testing.Standalone;
import org.berth.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole promise with a real guest: Berth on Payara with the libvirt adapter, a libvirtd of the
 * test's own whose guests sit on the internal network of the test's namespaces, the shipped nginx
 * site and the jump host's sshd with the shipped key command. alice asks for a NAT container with
 * an HTTP port; it boots with Berth's MAC and address, serves a page through nginx at its name and
 * runs commands over {@code ssh -J}; bob's key is refused; deleting the request takes the domain,
 * its volumes, the route and the way in with it. A ledger VM boots under QEMU with its entry's MAC
 * and address on the ledger's bridge; Berth killed while creating a guest resumes after a restart
 * with one domain; reconciliation reports a domain made by hand with Berth's mark and touches none.
 */
@Standalone
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealGuestsIT {

  static final String DOMAIN = "guests.berth.test";
  static final String TOKEN = "real-guests-jumphost-token-0123456789";
  static final String LEDGER_BRIDGE = "br1";

  /** The demo's container template on libvirt. */
  static final String TEMPLATE = "debian-12-ct";

  static Path dir;
  static List<String> settings;
  static int port;
  static NatTopology nat;
  static Libvirtd libvirtd;
  static ShippedNginx nginx;
  static PayaraProcess berth;
  static Sshd jump;
  static int jumpPort;
  static Http http;
  static Path keys;
  static String alicePub;
  static String bobPub;

  @BeforeAll
  static void start() throws Exception {
    LibvirtTemplate template = LibvirtTemplate.debian();
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "real-guests-");
    nat = NatTopology.create("brg", 82);
    libvirtd = Libvirtd.start(nat, template);
    for (List<String> command :
        List.of(
            List.of("link", "add", LEDGER_BRIDGE, "type", "bridge"),
            List.of("addr", "add", "192.0.2.1/24", "dev", LEDGER_BRIDGE),
            List.of("link", "set", LEDGER_BRIDGE, "up"))) {
      inGateway(java.util.stream.Stream.concat(Stream.of("ip"), command.stream()).toList());
    }
    Path[] certificate = ShippedNginx.wildcardCertificate(dir, DOMAIN);
    nginx = ShippedNginx.start(dir, DOMAIN, certificate[0], certificate[1]);

    jumpPort = PayaraProcess.freePort();
    settings = new ArrayList<>(TestDatabase.freshSettings());
    settings.addAll(libvirtd.berthSettings());
    settings.addAll(
        List.of(
            "berth.data-dir=" + dir.resolve("data"),
            "berth.jobs.polling-interval-seconds=1",
            "berth.jobs.heartbeat-seconds=1",
            "berth.ledger.fetch-interval-seconds=3600",
            "berth.nat.network=" + nat.internalNetwork(),
            "berth.nat.bridge=br0",
            // The ledger's addresses (192.0.2.0/24 in the demo's ledger) on a bridge of their own.
            "berth.network.bridge=" + LEDGER_BRIDGE,
            "berth.network.ipv4-gateway=192.0.2.1",
            "berth.proxy.kind=nginx",
            "berth.proxy.domain=" + DOMAIN,
            "berth.proxy.nginx.routes-dir=" + nginx.routesDir(),
            "berth.proxy.nginx.test-command=" + String.join(" ", nginx.testCommand()),
            "berth.proxy.nginx.reload-command=" + String.join(" ", nginx.reloadCommand()),
            "berth.jumphost.token=" + TOKEN,
            "berth.jumphost.host=127.0.0.1",
            "berth.jumphost.port=" + jumpPort));
    port = PayaraProcess.freePort();
    berth = PayaraProcess.start("real-guests", port, settings);
    http = new Http(berth.base());
    http.awaitLedger(true);
    http.roomFor("alice");

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
    bobPub = Sshd.generateKey(keys.resolve("bob"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {jump, berth, nginx, libvirtd, nat}) {
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
  @Order(1)
  void aNatContainerBootsServesItsPageThroughNginxAndLetsOnlyItsOwnerInOverTheJumpHost()
      throws Exception {
    addKey("alice", alicePub);
    addKey("bob", bobPub);
    long id = submit("alice", "web", 8080, alicePub);
    JsonObject ready = http.awaitRequest("alice", id, "READY");
    // A running container on libvirt cannot have a snapshot taken: asking says to shut it down.
    JsonObject listing = snapshotsOf(id);
    assertThat(listing.getBoolean("shutOffFirst")).isTrue();
    var running =
        http.call(
            "POST",
            "api/requests/" + id + "/guest/snapshots",
            "alice",
            "alice",
            "{\"name\":\"now\"}");
    assertThat(running.statusCode()).as(running.body()).isEqualTo(409);
    assertThat(Http.json(running).getString("message")).contains("down first");
    String ip = ready.getJsonObject("address").getString("ipv4");
    String mac = ready.getJsonObject("address").getString("mac");
    String block = ready.getJsonObject("access").getString("ssh");
    assertThat(ready.getJsonObject("access").getString("url"))
        .isEqualTo("https://web." + DOMAIN + "/");
    assertThat(http.get("api/hypervisor", "admin", "admin").body())
        .contains("\"simulated\":false", "kvm1");

    // The block as alice pastes it into ~/.ssh/config: root, through the jump host.
    SshClient alice = new SshClient(keys.resolve("alice"), block);
    Exec.Result on = untilAnswered(alice, "web", "hostname; cat /sys/class/net/eth0/address");
    assertThat(on.out()).isEqualTo("web\n" + mac + "\n");

    Exec.Result served =
        alice.run(
            "web",
            "mkdir -p /srv/www && echo 'served by the web guest of alice' > /srv/www/index.html"
                + " && (setsid python3 -m http.server 8080 --directory /srv/www"
                + " >/dev/null 2>&1 < /dev/null &)");
    assertThat(served.exit()).as(served.all()).isZero();
    Curl.Answer page =
        Await.until(
            "the guest's page through nginx",
            Duration.ofSeconds(30),
            Duration.ofMillis(500),
            () -> nginx.get("web"),
            a -> a.status() == 200);
    assertThat(page.body()).isEqualTo("served by the web guest of alice");

    SshClient bob = new SshClient(keys.resolve("bob"));
    Exec.Result refused = bob.run("-J", "bob@127.0.0.1:" + jumpPort, "root@" + ip, "hostname");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.all())
        .containsAnyOf("Permission denied (publickey)", "administratively prohibited")
        .doesNotContain("web\n");

    String domain = domainOf(id);
    http.deleteRequest("alice", id);

    assertThat(libvirtd.virshOn(libvirtd.containerUri(), "list", "--all", "--name").out())
        .doesNotContain(domain);
    assertThat(libvirtd.virshOk("vol-list", Libvirtd.POOL)).doesNotContain(domain + "-");
    Curl.Answer gone =
        Await.until(
            "the route to go",
            Duration.ofSeconds(30),
            Duration.ofMillis(500),
            () -> nginx.get("web"),
            a -> a.status() == 404);
    assertThat(gone.body()).doesNotContain("served by the web guest");
    Exec.Result afterDelete =
        new SshClient(keys.resolve("alice"))
            .run("-J", "alice@127.0.0.1:" + jumpPort, "root@" + ip, "true");
    assertThat(afterDelete.exit()).isNotZero();
    assertThat(afterDelete.all())
        .containsAnyOf("Permission denied (publickey)", "administratively prohibited");
  }

  @Test
  @Order(2)
  void reconciliationReportsADomainMadeByHandWithBerthsMarkAndTouchesNoDomain() throws Exception {
    Path marked = dir.resolve("by-hand.xml");
    Files.writeString(
        marked,
        "<domain type='qemu'><name>berth-19990</name><memory unit='MiB'>64</memory>"
            + "<metadata><berth:guest xmlns:berth='"
            + DomainXml.NAMESPACE
            + "'><berth:request>987654</berth:request></berth:guest></metadata>"
            + "<os><type arch='x86_64'>hvm</type></os></domain>");
    Path own = dir.resolve("someones.xml");
    Files.writeString(
        own,
        "<domain type='qemu'><name>someones-vm</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64'>hvm</type></os></domain>");
    libvirtd.virshOk("define", marked.toString());
    libvirtd.virshOk("define", own.toString());

    // What an admin sees of the libvirt host and of the findings, in the browser.
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        Browser.signIn(page, berth.base(), "admin");
        page.get(berth.base().resolve("admin/hypervisor.xhtml").toString());
        WebElement nodes = page.findElement(By.id("cluster:nodes"));
        assertThat(page.findElements(By.id("simulatedBanner"))).isEmpty();
        assertThat(page.findElement(By.id("description")).getText())
            .startsWith("libvirt on kvm1 (" + libvirtd.vmUri());
        assertThat(nodes.getText()).contains("kvm1", "online");
        assertThat(
                nodes
                    .findElement(
                        By.xpath(".//tr[not(.//tr) and .//td[normalize-space() = '19990']]"))
                    .getText())
            .contains("berth-19990", "Virtual machine", "Stopped", "987654");
        // The page lists the guests that carry Berth's mark, as it does for Proxmox.
        assertThat(nodes.getText()).doesNotContain("someones-vm");
        browser.screenshot("libvirt-admin-hypervisor");

        page.get(berth.base().resolve("admin/reconciliation.xhtml").toString());
        page.findElement(By.id("recon:checkNow")).click();
        new WebDriverWait(page, Duration.ofSeconds(60))
            .until(d -> d.findElement(By.id("messages")).getText().contains("Checked the cluster"));
        WebElement finding =
            page.findElement(By.id("recon:findings"))
                .findElement(By.xpath(".//tr[.//td[normalize-space() = '19990']]"));
        assertThat(finding.getText()).contains("987654", "kvm1");
        assertThat(page.findElement(By.id("recon:findings")).getText())
            .doesNotContain("someones-vm");
        browser.screenshot("libvirt-admin-reconciliation");
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("libvirt-admin-failure");
        throw e;
      }
    }

    HttpResponse<String> run =
        http.call("POST", "api/hypervisor/reconciliation", "admin", "admin", null);
    assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    JsonObject unknown =
        Http.json(run).getJsonArray("findings").getValuesAs(JsonObject.class).stream()
            .filter(f -> f.getString("kind").equals("unknown"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no finding of the marked domain: " + run.body()));
    assertThat(unknown.getInt("vmid")).isEqualTo(19990);
    assertThat(unknown.getJsonNumber("request").longValue()).isEqualTo(987654L);
    assertThat(run.body()).doesNotContain("someones-vm");

    assertThat(libvirtd.virshOk("list", "--all", "--name")).contains("berth-19990", "someones-vm");
    libvirtd.virshOk("undefine", "berth-19990");
    libvirtd.virshOk("undefine", "someones-vm");
  }

  @Test
  @Order(3)
  void aLedgerVmBootsUnderQemuWithItsEntrysMacAndAddressAndAnswersSshAsTheTemplatesUser()
      throws Exception {
    JsonObject submitted =
        http.submit(
            "alice",
            "vm",
            "ledgervm",
            "debian-12",
            "{\"mode\":\"ledger\",\"host\":\"pvm060.example.com\"}",
            alicePub);
    long id = submitted.getJsonNumber("id").longValue();
    JsonObject ready = http.awaitRequest("alice", id, "READY");
    String ip = ready.getJsonObject("address").getString("ipv4");
    String mac = ready.getJsonObject("address").getString("mac");
    assertThat(ip).startsWith("192.0.2.");

    // The ledger's network lives in the gateway namespace only: ssh from there.
    Exec.Result on =
        Await.until(
            "the ledger VM to answer SSH at " + ip,
            Duration.ofMinutes(5),
            Duration.ofSeconds(3),
            () ->
                inGateway(
                    Libvirtd.guestSsh(
                        keys.resolve("alice"),
                        "debian@" + ip,
                        "hostname; cat /sys/class/net/e*/address; ip -4 -br addr show scope global;"
                            + " df --output=size -BG / | tail -1")),
            r -> r.exit() == 0);
    // The disk is the request's 10 GiB: an overlay on the template, its file system grown.
    assertThat(on.out())
        .startsWith("ledgervm\n" + mac + "\n")
        .contains(ip + "/24")
        .endsWith(" 10G\n");

    // A snapshot of the running VM, a file written after it, a rollback: the file is gone and the
    // VM runs on from the moment of the snapshot. All through the API, as alice.
    String before = "debian@" + ip;
    snapshotAction("POST", "api/requests/" + id + "/guest/snapshots", "{\"name\":\"clean\"}");
    awaitSnapshots(id, s -> s.size() == 1);
    JsonObject clean = snapshotsOf(id).getJsonArray("snapshots").getJsonObject(0);
    assertThat(clean.getString("name")).isEqualTo("clean");
    assertThat(clean.getBoolean("running")).isTrue();
    assertThat(
            inGateway(
                    Libvirtd.guestSsh(
                        keys.resolve("alice"),
                        before,
                        "echo changed > scratch && sync && cat scratch"))
                .out())
        .isEqualTo("changed\n");
    snapshotAction("POST", "api/requests/" + id + "/guest/snapshots/clean/rollback", null);
    // Sessions opened while the VM is rolled back may hang on the old VM: Libvirtd.guestSsh ends
    // them within 15 s, and the probe tries again.
    Exec.Result after =
        Await.until(
            "the VM to answer SSH after its rollback",
            Duration.ofMinutes(3),
            Duration.ofSeconds(3),
            () ->
                inGateway(
                    Libvirtd.guestSsh(
                        keys.resolve("alice"),
                        before,
                        "test -e scratch && echo kept || echo gone")),
            r -> r.exit() == 0 && r.out().equals("gone\n"));
    assertThat(after.out()).isEqualTo("gone\n");
    awaitSnapshots(id, s -> s.size() == 1);
    JsonObject guest = Http.json(http.get("api/requests/" + id + "/guest", "alice", "alice"));
    assertThat(guest.getJsonArray("log").getValuesAs(JsonObject.class))
        .anySatisfy(
            line -> {
              assertThat(line.getString("step")).isEqualTo("Rollback");
              assertThat(line.getString("outcome")).isEqualTo("done");
            });
    // bob sees none of it, and may not roll it back.
    assertThat(http.get("api/requests/" + id + "/guest/snapshots", "bob", "bob").statusCode())
        .isEqualTo(404);
    assertThat(
            http.call(
                    "POST",
                    "api/requests/" + id + "/guest/snapshots/clean/rollback",
                    "bob",
                    "bob",
                    null)
                .statusCode())
        .isEqualTo(404);

    // The guest is deleted with its snapshot still on it.
    String domain = domainOf(id);
    http.deleteRequest("alice", id);
    assertThat(libvirtd.virshOk("list", "--all", "--name")).doesNotContain(domain);
    assertThat(volumes()).noneMatch(v -> v.startsWith(domain + "-"));
  }

  /** Asks for a snapshot action as alice; the API answers 202 and a job carries it out. */
  private static void snapshotAction(String method, String path, String json) {
    var answer = http.call(method, path, "alice", "alice", json);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
  }

  private static JsonObject snapshotsOf(long id) {
    return Http.json(http.get("api/requests/" + id + "/guest/snapshots", "alice", "alice"));
  }

  /** Waits until no snapshot action is pending and the list satisfies {@code done}. */
  private static void awaitSnapshots(long id, java.util.function.Predicate<List<JsonObject>> done) {
    try {
      Await.until(
          "the snapshot action on request " + id,
          Duration.ofMinutes(3),
          Duration.ofSeconds(1),
          () -> snapshotsOf(id),
          o ->
              !o.getBoolean("pending")
                  && done.test(o.getJsonArray("snapshots").getValuesAs(JsonObject.class)));
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; the guest's log: "
              + http.get("api/requests/" + id + "/guest", "alice", "alice").body(),
          e);
    }
  }

  private static Exec.Result inGateway(List<String> command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", nat.gatewayNamespace()));
    all.addAll(command);
    boolean ssh = command.get(0).endsWith("ssh");
    try {
      Exec.Result r;
      try {
        r = Exec.run(all, java.util.Map.of(), Duration.ofSeconds(60));
      } catch (AssertionError stuck) {
        if (!ssh) {
          throw stuck;
        }
        // An SSH session that never ends is a guest that does not answer yet: a failed probe.
        return new Exec.Result(-1, "", stuck.getMessage(), Duration.ofSeconds(60));
      }
      if (!ssh && r.exit() != 0) {
        throw new AssertionError(String.join(" ", all) + " failed: " + r.all());
      }
      return r;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Berth is killed (SIGKILL) as soon as the guest's first volume appears in the pool, and started
   * again: the request becomes READY with exactly one domain and one set of volumes.
   */
  @Test
  @Order(4)
  void berthKilledWhileCreatingAGuestLeavesExactlyOneDomainAfterItsRestart() throws Exception {
    long id = submit("alice", "crashed", null, alicePub);
    Await.until(
        "the guest's first volume in the pool",
        Duration.ofSeconds(60),
        Duration.ofMillis(50),
        () -> volumes(),
        v -> v.stream().anyMatch(name -> name.endsWith("-root.raw")));
    berth.kill();
    berth = PayaraProcess.start("real-guests-again", port, settings);

    http.awaitRequest("alice", id, "READY");
    String domain = domainOf(id);
    List<String> marked = new ArrayList<>();
    for (String name :
        libvirtd.virshOn(libvirtd.containerUri(), "list", "--all", "--name").out().split("\n")) {
      if (!name.isBlank()
          && libvirtd
              .virshOn(libvirtd.containerUri(), "dumpxml", name.strip())
              .out()
              .contains("<berth:request>" + id + "</berth:request>")) {
        marked.add(name.strip());
      }
    }
    assertThat(marked).as("domains carrying request " + id).containsExactly(domain);
    assertThat(volumes()).containsExactlyInAnyOrder(domain + "-root.raw", domain + "-seed.img");

    http.deleteRequest("alice", id);
    assertThat(volumes()).isEmpty();
  }

  /**
   * alice opens her container's console in the browser, types {@code hostname} and reads the
   * guest's name back; the opening is in the request's history. bob gets the page's 404, and his
   * WebSocket with a ticket that was already used is refused. Deleting the guest closes the open
   * console.
   */
  @Test
  @Order(5)
  void aliceTypesIntoHerContainersConsoleInTheBrowserAndBobCannot() throws Exception {
    long id = submit("alice", "console", null, alicePub);
    http.awaitRequest("alice", id, "READY");
    String usedTicket;
    try (Browser browser = Browser.start();
        Browser bobs = Browser.start()) {
      WebDriver alice = browser.driver();
      try {
        Browser.signIn(alice, berth.base(), "alice");
        alice.get(berth.base().resolve("requests/view.xhtml?id=" + id).toString());
        alice.findElement(By.id("guest:console")).click();
        WebDriverWait wait = new WebDriverWait(alice, Duration.ofSeconds(60));
        wait.until(
            d ->
                "open".equals(d.findElement(By.id("consoleStatus")).getDomAttribute("data-state")));
        usedTicket = alice.findElement(By.id("terminal")).getDomAttribute("data-ticket");

        // The getty logs root in by itself once the guest has booted: type until it answers.
        WebElement keys = alice.findElement(By.cssSelector(".xterm-helper-textarea"));
        String shown =
            Await.until(
                "the console to answer hostname",
                Duration.ofSeconds(90),
                Duration.ofSeconds(3),
                () -> {
                  keys.sendKeys("hostname\n");
                  return Browser.terminalText(alice);
                },
                text -> text.lines().anyMatch(line -> line.strip().equals("console")));
        assertThat(shown).contains("hostname");
        browser.screenshot("console-hostname");
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("console-failure");
        throw e;
      }
      assertThat(http.get("api/requests/" + id, "alice", "alice").body())
          .contains("opened the console");

      WebDriver bob = bobs.driver();
      Browser.signIn(bob, berth.base(), "bob");
      Browser.assertConsoleRefused(bob, berth.base(), id, usedTicket);

      // Deleting the guest ends the console alice still has open.
      http.deleteRequest("alice", id);
      new WebDriverWait(alice, Duration.ofSeconds(60))
          .until(
              d ->
                  "closed"
                      .equals(d.findElement(By.id("consoleStatus")).getDomAttribute("data-state")));
      assertThat(alice.findElement(By.id("consoleStatus")).getText())
          .startsWith("The console is closed");
    }
  }

  /** The guests' volumes in the pool (the template's left out). */
  private static List<String> volumes() {
    try {
      return libvirtd
          .virshOk("vol-list", Libvirtd.POOL)
          .lines()
          .map(String::strip)
          .filter(l -> l.startsWith("berth-"))
          .map(l -> l.split("\\s+")[0])
          .toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The libvirt domain of the request's guest, as its guest page names node and VMID. */
  private static String domainOf(long id) {
    JsonObject guest = Http.json(http.get("api/requests/" + id + "/guest", "alice", "alice"));
    return "berth-" + guest.getJsonNumber("vmid").intValue();
  }

  /** Runs {@code command} on {@code host} until the guest answers (cloud-init puts the key). */
  private static Exec.Result untilAnswered(SshClient client, String host, String command) {
    return Await.until(
        "ssh to " + host + " through the jump host",
        Duration.ofMinutes(2),
        Duration.ofSeconds(2),
        () -> {
          try {
            return client.run(host, command);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        r -> r.exit() == 0);
  }

  private static void addKey(String user, String key) {
    HttpResponse<String> r =
        http.call(
            "POST",
            "api/me/keys",
            user,
            user,
            Json.createObjectBuilder().add("label", "laptop").add("key", key).build().toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private static long submit(String user, String name, Integer httpPort, String key) {
    var network = Json.createObjectBuilder().add("mode", "nat");
    if (httpPort != null) {
      network.add("httpPort", httpPort);
    }
    String body =
        Json.createObjectBuilder()
            .add("kind", "container")
            .add("name", name)
            .add("template", TEMPLATE)
            .add("cores", 1)
            .add("memoryMiB", 512)
            .add("diskGiB", 2)
            .add("network", network)
            .add("sshKeys", Json.createArrayBuilder().add(key))
            .add("leaseDays", 5)
            .add("purpose", "real guests")
            .build()
            .toString();
    HttpResponse<String> r = http.call("POST", "api/requests", user, user, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Http.json(r).getJsonNumber("id").longValue();
  }
}
