package org.berth.hypervisor.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.berth.hypervisor.GuestConsole;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.simulator.JournalEntry;
import org.berth.hypervisor.simulator.LoopbackKeystore;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.testing.Standalone;
import org.berth.testing.TestClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminals on Proxmox VE guests through the adapter, against the simulated cluster over real HTTP
 * and WebSockets: signed in as the console user, {@code termproxy}, {@code vncwebsocket} and
 * termproxy's protocol.
 */
@Standalone
class ProxmoxConsoleTest {

  static final String SECRET = "5e0c6a2e-5b1d-4c3e-8a7f-0123456789ab";
  static final String USER = "berth-console@pve";
  static final String PASSWORD = "correct horse battery staple";
  static final SimulatorSettings SIMULATOR =
      SimulatorSettings.defaults()
          .withToken("berth@pve!test", SECRET)
          .withConsoleUser(USER, PASSWORD)
          .withTaskDuration(Duration.ofMillis(50));

  static SimulatedProxmox cluster;
  static ProxmoxHypervisor proxmox;

  @BeforeAll
  static void start() {
    cluster = SimulatedProxmox.start(SIMULATOR);
    proxmox = new ProxmoxHypervisor(settings(cluster.url(), PASSWORD));
  }

  static ProxmoxSettings settings(URI url, String password) {
    return TestClusters.withConsoleUser(
        TestClusters.proxmox(url, "berth@pve!test", SECRET, Duration.ofMillis(50)), USER, password);
  }

  @AfterAll
  static void stop() {
    cluster.stop();
  }

  @BeforeEach
  void fresh() {
    cluster.reset();
  }

  static GuestRef runningVm(ProxmoxHypervisor on, int vmid) {
    GuestRef ref = new GuestRef(GuestType.VM, "sim2", vmid);
    on.create(ProxmoxAdapterTest.vm(vmid, vmid, "sim2"));
    on.start(ref);
    return ref;
  }

  /** What a terminal shows, read as it comes, and whether it has ended. */
  static final class Screen {
    final StringBuffer text = new StringBuffer();
    final CompletableFuture<Void> ended = new CompletableFuture<>();

    Screen(GuestConsole console) {
      Thread reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[4096];
                try (InputStream in = console.output()) {
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                  }
                } catch (IOException e) {
                  text.append("[failed: ").append(e.getMessage()).append(']');
                }
                ended.complete(null);
              });
      reader.setDaemon(true);
      reader.start();
    }

    void await(Predicate<String> shown, String what) {
      Instant deadline = Instant.now().plusSeconds(5);
      while (!shown.test(text.toString())) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("the terminal never showed " + what + "; it shows: " + text);
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  static void type(GuestConsole console, String keys) throws IOException {
    console.write(keys.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aVmsTerminalIsItsSerialPortAndEndsWhenTheVmStops() throws Exception {
    GuestRef ref = runningVm(proxmox, 10001);
    assertThat(proxmox.offersConsoles()).isTrue();
    GuestConsole console = proxmox.console(ref);
    Screen screen = new Screen(console);
    screen.await(t -> t.endsWith("root@web-10001:~# "), "the prompt");
    assertThat(screen.text.toString()).doesNotStartWith("OK").contains("web-10001 ttyS0");

    type(console, "hostname\r");
    screen.await(t -> t.contains("hostname\r\nweb-10001\r\n"), "the host name");
    console.resize(132, 43);
    type(console, "stty size\r");
    screen.await(t -> t.contains("\r\n43 132\r\n"), "the size");
    console.keepAlive();
    type(console, "é\u007f\r");
    screen.await(t -> t.contains("é\b \b"), "the erased é");

    proxmox.stop(ref);
    screen.ended.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> type(console, "hostname\r")).isInstanceOf(IOException.class);
    console.close();

    List<JournalEntry> calls = cluster.journal();
    assertThat(calls)
        .filteredOn(e -> e.path().equals("/nodes/sim2/qemu/10001/termproxy"))
        .singleElement()
        .satisfies(e -> assertThat(e.parameters()).containsEntry("serial", "serial0"));
    assertThat(calls)
        .filteredOn(e -> e.path().endsWith("/vncwebsocket"))
        .singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(101));
  }

  @Test
  void aContainersTerminalIsItsConsoleAndTheSignInIsKept() throws Exception {
    ProxmoxHypervisor fresh = new ProxmoxHypervisor(settings(cluster.url(), PASSWORD));
    GuestRef ref = new GuestRef(GuestType.CONTAINER, "sim1", 10002);
    fresh.create(ProxmoxAdapterTest.container(10002, 10002, "sim1"));
    fresh.start(ref);
    for (int i = 0; i < 2; i++) {
      try (GuestConsole console = fresh.console(ref)) {
        Screen screen = new Screen(console);
        screen.await(t -> t.contains("db-10002 console"), "the container's console");
        type(console, "exit\r");
        screen.ended.get(5, TimeUnit.SECONDS);
      }
    }
    // One sign-in serves both terminals.
    assertThat(cluster.journal())
        .filteredOn(e -> e.path().equals("/access/ticket"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(200);
              assertThat(e.parameters()).containsEntry("username", USER);
              assertThat(e.parameters().values()).doesNotContain(PASSWORD);
            });
  }

  @Test
  void aRefusedSignInIsRenewedOnce() throws Exception {
    ProxmoxHypervisor fresh = new ProxmoxHypervisor(settings(cluster.url(), PASSWORD));
    GuestRef ref = runningVm(fresh, 10008);
    fresh.console(ref).close();
    cluster.expireSignIns();
    try (GuestConsole console = fresh.console(ref)) {
      Screen screen = new Screen(console);
      type(console, "hostname\r");
      screen.await(t -> t.contains("\r\nweb-10008\r\n"), "the host name after signing in again");
    }
    assertThat(cluster.journal())
        .filteredOn(e -> e.path().equals("/access/ticket") || e.path().endsWith("/termproxy"))
        .extracting(e -> e.path().replaceAll(".*/", "") + " " + e.status())
        .containsExactly(
            "ticket 200", "termproxy 200", "termproxy 401", "ticket 200", "termproxy 200");
  }

  @Test
  void thePortIsTakenAsNumberOrStringAndMustBeAVncPort() {
    assertThat(ProxmoxConsole.port(Json.createObjectBuilder().add("port", "5901").build(), "x"))
        .isEqualTo(5901);
    assertThat(ProxmoxConsole.port(Json.createObjectBuilder().add("port", 5902).build(), "x"))
        .isEqualTo(5902);
    for (JsonObject bad :
        List.of(
            Json.createObjectBuilder().add("port", "6000").build(),
            Json.createObjectBuilder().add("port", "59o1").build(),
            Json.createObjectBuilder().add("port", 5900.5).build(),
            Json.createObjectBuilder().build())) {
      assertThatThrownBy(() -> ProxmoxConsole.port(bad, "VM 1 on sim1"))
          .isInstanceOf(HypervisorFailure.class)
          .hasMessageContaining("no port from 5900 to 5999 for VM 1 on sim1");
    }
  }

  @Test
  void aLongPasteReachesTheTerminalWhole() throws Exception {
    GuestRef ref = runningVm(proxmox, 10009);
    try (GuestConsole console = proxmox.console(ref)) {
      Screen screen = new Screen(console);
      // 20 lines of 3000 characters: about 60 KiB at once, more than one message may carry.
      String line = "x".repeat(3000);
      type(console, ("echo " + line + "\r").repeat(20));
      String echoed = "\r\n" + line + "\r\n";
      screen.await(
          t -> t.split(java.util.regex.Pattern.quote(echoed), -1).length - 1 == 20,
          "each of the 20 lines echoed");
    }
  }

  @Test
  void aStoppedGuestOrAVmWithoutSerialPortHasNoTerminalAndSaysWhy() {
    GuestRef ref = runningVm(proxmox, 10003);
    proxmox.stop(ref);
    assertThatThrownBy(() -> proxmox.console(ref))
        .isInstanceOf(HypervisorFailure.class)
        .hasMessageContaining("VM 10003 not running");

    cluster.addForeignGuest(10004, "sim1", "qemu", "bare-vm");
    GuestRef bare = new GuestRef(GuestType.VM, "sim1", 10004);
    proxmox.start(bare);
    assertThatThrownBy(() -> proxmox.console(bare))
        .isInstanceOf(HypervisorFailure.class)
        .hasMessage("the VM has no serial port for a terminal; its template needs serial0: socket");
  }

  @Test
  void withoutAConsoleUserNoConsoleIsOffered() {
    ProxmoxHypervisor plain =
        new ProxmoxHypervisor(
            TestClusters.proxmox(cluster.url(), "berth@pve!test", SECRET, Duration.ofMillis(50)));
    GuestRef ref = runningVm(plain, 10005);
    assertThat(plain.offersConsoles()).isFalse();
    assertThatThrownBy(() -> plain.console(ref))
        .isInstanceOf(HypervisorFailure.class)
        .hasMessageContaining("berth.proxmox.console-user is not set");
    assertThat(cluster.journal()).noneMatch(e -> e.path().endsWith("/termproxy"));
  }

  @Test
  void aWrongPasswordNamesTheSettingsButNeverThePassword() {
    GuestRef ref = runningVm(proxmox, 10006);
    String wrong = "not-" + PASSWORD;
    ProxmoxHypervisor refused = new ProxmoxHypervisor(settings(cluster.url(), wrong));
    assertThatThrownBy(() -> refused.console(ref))
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining("console user " + USER)
        .hasMessageContaining("401")
        .hasMessageContaining("berth.proxmox.console-user and console-password")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(PASSWORD);
    assertThat(settings(cluster.url(), wrong).toString()).doesNotContain(wrong);
  }

  @Test
  void aTerminalOpensOverTlsWithThePinnedCertificate(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("pve.p12");
    LoopbackKeystore.create(keystore, "pve", "store-pass");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      store.load(in, "store-pass".toCharArray());
    }
    String fingerprint =
        PinnedCertificate.fingerprintOf((X509Certificate) store.getCertificate("pve"));
    try (SimulatedProxmox https =
        SimulatedProxmox.start(SIMULATOR.withTls(keystore, "store-pass"))) {
      ProxmoxSettings s = settings(URI.create("https://127.0.0.1:" + https.port()), PASSWORD);
      ProxmoxHypervisor pinned =
          new ProxmoxHypervisor(
              new ProxmoxSettings(
                  s.url(),
                  s.tokenId(),
                  s.tokenSecret(),
                  null,
                  fingerprint,
                  s.connectTimeout(),
                  s.readTimeout(),
                  s.taskTimeout(),
                  s.taskPolling(),
                  s.storage(),
                  s.consoleUser(),
                  s.consolePassword()));
      GuestRef ref = runningVm(pinned, 10007);
      try (GuestConsole console = pinned.console(ref)) {
        Screen screen = new Screen(console);
        type(console, "hostname\r");
        screen.await(t -> t.contains("\r\nweb-10007\r\n"), "the host name over TLS");
      }
    }
  }
}
