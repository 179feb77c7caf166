package org.berth.hypervisor.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.PowerState;
import org.berth.hypervisor.VmidTaken;
import org.berth.hypervisor.simulator.Fault;
import org.berth.hypervisor.simulator.LoopbackKeystore;
import org.berth.hypervisor.simulator.SimulatedGuest;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.platform.config.InvalidSetting;
import org.berth.testing.Standalone;
import org.berth.testing.TestClusters;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Proxmox adapter against the simulated cluster, over real HTTP. */
@Standalone
class ProxmoxAdapterTest {

  static final String SECRET = "9f0c6a2e-5b1d-4c3e-8a7f-0123456789ab";
  static final String ALICE_KEY = TestKeys.ed25519("alice@laptop");
  static SimulatedProxmox cluster;
  static ProxmoxHypervisor proxmox;

  @BeforeAll
  static void start() {
    cluster =
        SimulatedProxmox.start(
            SimulatorSettings.defaults()
                .withToken("berth@pve!test", SECRET)
                .withTaskDuration(Duration.ofMillis(150)));
    proxmox = new ProxmoxHypervisor(settings(cluster.url(), SECRET));
  }

  static ProxmoxSettings settings(URI url, String secret) {
    return TestClusters.proxmox(url, "berth@pve!test", secret, Duration.ofMillis(200));
  }

  @AfterAll
  static void stop() {
    cluster.stop();
  }

  @BeforeEach
  void fresh() {
    cluster.reset();
  }

  static GuestSpec vm(long request, int vmid, String node) {
    return new GuestSpec(
        request,
        "alice",
        new GuestRef(GuestType.VM, node, vmid),
        "web-" + request,
        "9000",
        true,
        2,
        4096,
        40,
        "vmbr0",
        "DE:AD:BE:EF:00:0A",
        "192.0.2.10/24",
        "192.0.2.1",
        "2001:db8:0:160::a/64",
        "2001:db8:0:160::1",
        List.of("192.0.2.53"),
        "debian",
        List.of(ALICE_KEY));
  }

  static GuestSpec container(long request, int vmid, String node) {
    return new GuestSpec(
        request,
        "bob",
        new GuestRef(GuestType.CONTAINER, node, vmid),
        "db-" + request,
        "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        true,
        1,
        1024,
        8,
        "vmbr0",
        "DE:AD:BE:EF:00:0B",
        "192.0.2.11/24",
        "192.0.2.1",
        null,
        null,
        List.of("192.0.2.53", "192.0.2.54"),
        "root",
        List.of(TestKeys.ed25519("bob@desk")));
  }

  @Test
  void aVmIsClonedConfiguredStartedStoppedAndDeleted() {
    GuestSpec spec = vm(42, 10001, "sim2");
    proxmox.create(spec);
    Optional<GuestStatus> cloned = proxmox.status(spec.ref());
    assertThat(cloned).get().extracting(GuestStatus::requestId).isEqualTo(42L);
    assertThat(cloned.get().power()).isEqualTo(PowerState.STOPPED);

    proxmox.configure(spec);
    proxmox.start(spec.ref());

    SimulatedGuest guest = guest(10001);
    assertThat(guest.node()).isEqualTo("sim2");
    assertThat(guest.status()).isEqualTo("running");
    assertThat(guest.tags()).containsExactly("berth", "berth-request-42");
    assertThat(guest.config())
        .containsEntry("net0", "virtio=DE:AD:BE:EF:00:0A,bridge=vmbr0")
        .containsEntry(
            "ipconfig0",
            "ip=192.0.2.10/24,gw=192.0.2.1,ip6=2001:db8:0:160::a/64,gw6=2001:db8:0:160::1")
        .containsEntry("ciuser", "debian")
        .containsEntry("nameserver", "192.0.2.53")
        .containsEntry("cores", "2")
        .containsEntry("memory", "4096")
        .containsEntry("name", "web-42");
    assertThat(URLDecoder.decode(guest.config().get("sshkeys"), StandardCharsets.UTF_8))
        .isEqualTo(ALICE_KEY + "\n");
    assertThat(guest.config().get("scsi0")).contains("size=40G");

    Cluster view = proxmox.cluster();
    assertThat(view.berthGuests())
        .extracting(g -> g.ref().vmid(), GuestStatus::requestId, GuestStatus::power)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(10001, 42L, PowerState.RUNNING));
    assertThat(view.nodes()).extracting(n -> n.name()).containsExactly("sim1", "sim2", "sim3");

    proxmox.shutdown(spec.ref(), Duration.ofSeconds(10));
    assertThat(guest(10001).status()).isEqualTo("stopped");
    proxmox.delete(spec.ref());
    assertThat(proxmox.status(spec.ref())).isEmpty();
    assertThat(cluster.guests()).noneMatch(g -> g.vmid() == 10001);
  }

  /**
   * A running VM's snapshot keeps its memory: after a change of its configuration and a stop,
   * rolling back brings the old configuration back, running. A container's snapshot has no memory:
   * rolled back, it is stopped.
   */
  @Test
  void snapshotsAreTakenListedRolledBackAndDeleted() {
    GuestSpec spec = vm(44, 10003, "sim1");
    proxmox.create(spec);
    proxmox.configure(spec);
    proxmox.start(spec.ref());
    java.time.Instant before = java.time.Instant.now().minusSeconds(1);

    proxmox.snapshot(spec.ref(), "before-upgrade", "Taken through Berth for request 44");
    GuestSpec bigger =
        new GuestSpec(
            44,
            "alice",
            spec.ref(),
            spec.name(),
            spec.template(),
            true,
            4,
            8192,
            40,
            spec.bridge(),
            spec.mac(),
            spec.ipv4(),
            spec.gateway4(),
            spec.ipv6(),
            spec.gateway6(),
            spec.nameservers(),
            spec.user(),
            spec.sshKeys());
    proxmox.configure(bigger);
    proxmox.stop(spec.ref());
    assertThat(guest(10003).config()).containsEntry("memory", "8192");

    assertThat(proxmox.snapshots(spec.ref()))
        .singleElement()
        .satisfies(
            snap -> {
              assertThat(snap.name()).isEqualTo("before-upgrade");
              assertThat(snap.description()).isEqualTo("Taken through Berth for request 44");
              assertThat(snap.taken()).isAfter(before);
              assertThat(snap.running()).isTrue();
            });
    proxmox.rollback(spec.ref(), "before-upgrade");
    assertThat(guest(10003).config()).containsEntry("memory", "4096").containsEntry("cores", "2");
    assertThat(guest(10003).status()).isEqualTo("running");

    proxmox.deleteSnapshot(spec.ref(), "before-upgrade");
    assertThat(proxmox.snapshots(spec.ref())).isEmpty();
    assertThatThrownBy(() -> proxmox.rollback(spec.ref(), "before-upgrade"))
        .isInstanceOf(HypervisorFailure.class)
        .hasMessageContaining("snapshot 'before-upgrade' does not exist");

    GuestSpec ct = container(45, 10004, "sim3");
    proxmox.create(ct);
    proxmox.start(ct.ref());
    proxmox.snapshot(ct.ref(), "clean", "");
    proxmox.rollback(ct.ref(), "clean");
    assertThat(guest(10004).status()).isEqualTo("stopped");
    assertThat(proxmox.snapshots(ct.ref()))
        .extracting(org.berth.hypervisor.Snapshot::name, org.berth.hypervisor.Snapshot::running)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("clean", false));
  }

  @Test
  void aContainerIsCreatedWithItsWholeConfigurationInOneCall() {
    GuestSpec spec = container(43, 10002, "sim3");
    proxmox.create(spec);
    proxmox.configure(spec);
    proxmox.start(spec.ref());
    SimulatedGuest guest = guest(10002);
    assertThat(guest.type()).isEqualTo("lxc");
    assertThat(guest.status()).isEqualTo("running");
    assertThat(guest.tags()).containsExactly("berth", "berth-request-43");
    assertThat(guest.config())
        .containsEntry(
            // As Proxmox shows it: keys sorted, the default type added.
            "net0",
            "name=eth0,bridge=vmbr0,gw=192.0.2.1,hwaddr=DE:AD:BE:EF:00:0B,ip=192.0.2.11/24,type=veth")
        .containsEntry("hostname", "db-43")
        .containsEntry("nameserver", "192.0.2.53 192.0.2.54");
    proxmox.reboot(spec.ref());
    proxmox.stop(spec.ref());
    proxmox.delete(spec.ref());
    assertThat(cluster.guests()).noneMatch(g -> g.vmid() == 10002);
  }

  @Test
  void aTakenVmidIsReportedAsSuch() {
    cluster.addForeignGuest(10003, "sim1", "qemu", "someone-elses");
    assertThatThrownBy(() -> proxmox.create(vm(44, 10003, "sim1")))
        .isInstanceOf(VmidTaken.class)
        .hasMessageContaining("10003");
    assertThat(proxmox.status(new GuestRef(GuestType.VM, "sim1", 10003)))
        .get()
        .extracting(GuestStatus::berths)
        .isEqualTo(false);
  }

  @Test
  void aFailedTaskIsAPermanentFailureWithItsExitStatus() {
    cluster.inject(
        new Fault(
            Fault.Kind.TASK_FAILURE, "POST", "/clone$", 1, "clone failed: storage full", null));
    assertThatThrownBy(() -> proxmox.create(vm(45, 10004, "sim1")))
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessage("clone of template 9000 to VM 10004 failed: clone failed: storage full");
  }

  @Test
  void unavailableAndSlowAnswersAreTransientFailures() {
    cluster.inject(Fault.once(Fault.Kind.HTTP_503, "GET", "/cluster/resources"));
    assertThatThrownBy(() -> proxmox.cluster())
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("503");
    cluster.inject(
        new Fault(Fault.Kind.TIMEOUT, "GET", "/cluster/resources", 1, null, Duration.ofSeconds(4)));
    assertThatThrownBy(() -> proxmox.cluster())
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageContaining("did not answer within 2 s");
    assertThat(proxmox.cluster().nodes()).hasSize(3);
  }

  @Test
  void aNodeThatIsDownIsOfflineAndItsGuestsUnreachable() {
    GuestSpec spec = container(46, 10005, "sim3");
    proxmox.create(spec);
    cluster.nodeDown("sim3");
    assertThat(proxmox.cluster().node("sim3")).get().extracting(n -> n.online()).isEqualTo(false);
    assertThatThrownBy(() -> proxmox.status(spec.ref()))
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isTrue());
    cluster.nodeUp("sim3");
    assertThat(proxmox.status(spec.ref())).isPresent();
  }

  @Test
  void aWrongTokenIsNamedButItsSecretNeverShown() {
    ProxmoxHypervisor wrong =
        new ProxmoxHypervisor(settings(cluster.url(), "not-the-secret-" + SECRET));
    assertThatThrownBy(wrong::cluster)
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining("berth@pve!test")
        .hasMessageContaining("401")
        .hasMessageNotContaining(SECRET);
    assertThat(settings(cluster.url(), SECRET).toString()).doesNotContain(SECRET);
  }

  @Test
  void refusedParametersAreAPermanentFailureNamingTheParameter() {
    GuestSpec bad =
        new GuestSpec(
            47,
            "alice",
            new GuestRef(GuestType.CONTAINER, "sim1", 10006),
            "x-47",
            "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
            true,
            1,
            512,
            8,
            "vmbr0",
            "01:00:5E:00:00:01",
            "192.0.2.12/24",
            null,
            null,
            null,
            List.of(),
            "root",
            List.of(TestKeys.ed25519("a")));
    assertThatThrownBy(() -> proxmox.create(bad))
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining("net0");
    assertThat(cluster.guests()).noneMatch(g -> g.vmid() == 10006);
  }

  @Test
  void theSimulatedClusterSaysItIsSimulated() {
    assertThat(proxmox.simulated()).isTrue();
    assertThat(proxmox.description())
        .startsWith("Simulated Proxmox VE cluster at http://127.0.0.1:");
  }

  @Test
  void tlsTrustsThePinnedFingerprintOrTheConfiguredCaAndNothingElse(@TempDir Path dir)
      throws Exception {
    Path keystore = dir.resolve("pve.p12");
    LoopbackKeystore.create(keystore, "pve", "store-pass");
    Path ca = dir.resolve("pve.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "pve",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "store-pass",
        "-file",
        ca.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      store.load(in, "store-pass".toCharArray());
    }
    String fingerprint =
        PinnedCertificate.fingerprintOf((X509Certificate) store.getCertificate("pve"));

    try (SimulatedProxmox https =
        SimulatedProxmox.start(
            SimulatorSettings.defaults()
                .withToken("berth@pve!test", SECRET)
                .withTls(keystore, "store-pass"))) {
      assertThat(tls(https, null, fingerprint).cluster().nodes()).hasSize(3);
      assertThat(tls(https, ca, null).cluster().nodes()).hasSize(3);
      String other = "00:".repeat(31) + "00";
      assertThatThrownBy(() -> tls(https, null, other).cluster())
          .isInstanceOfSatisfying(
              HypervisorFailure.class, e -> assertThat(e.transientFailure()).isFalse())
          .hasMessageContaining("TLS connection to Proxmox was refused");
      // Without a CA or fingerprint, only the JVM's CAs are trusted.
      assertThatThrownBy(() -> tls(https, null, null).cluster())
          .isInstanceOfSatisfying(
              HypervisorFailure.class, e -> assertThat(e.transientFailure()).isFalse());
    }
    assertThatThrownBy(() -> tls(cluster, null, "not-a-fingerprint"))
        .isInstanceOf(InvalidSetting.class)
        .hasMessageStartingWith("berth.proxmox.fingerprint must be a SHA-256 fingerprint");
  }

  private static ProxmoxHypervisor tls(SimulatedProxmox on, Path ca, String fingerprint) {
    URI https = URI.create("https://127.0.0.1:" + on.port());
    ProxmoxSettings s = settings(https, SECRET);
    return new ProxmoxHypervisor(
        new ProxmoxSettings(
            s.url(),
            s.tokenId(),
            s.tokenSecret(),
            ca,
            fingerprint,
            s.connectTimeout(),
            s.readTimeout(),
            s.taskTimeout(),
            s.taskPolling(),
            s.storage(),
            s.consoleUser(),
            s.consolePassword()));
  }

  private static void keytool(String... args) throws Exception {
    LoopbackKeystore.keytool(args);
  }

  static SimulatedGuest guest(int vmid) {
    return cluster.guests().stream().filter(g -> g.vmid() == vmid).findFirst().orElseThrow();
  }
}
