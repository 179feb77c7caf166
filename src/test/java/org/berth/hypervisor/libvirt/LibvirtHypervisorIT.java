package org.berth.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.PowerState;
import org.berth.hypervisor.VmidTaken;
import org.berth.testing.Await;
import org.berth.testing.Exec;
import org.berth.testing.LibvirtTemplate;
import org.berth.testing.Libvirtd;
import org.berth.testing.NatTopology;
import org.berth.testing.RequiredProgram;
import org.berth.testing.Sshd;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The libvirt adapter against a real libvirtd and real libvirt LXC, with the Debian template {@code
 * deploy/libvirt/build-template} makes: a container boots with the spec's MAC, address, host name
 * and keys and answers SSH from the root namespace through the test's own network namespaces. VMs
 * under QEMU boot through Berth itself in {@code RealGuestsIT}.
 */
@Standalone
@Order(1)
class LibvirtHypervisorIT {

  private static final int NETWORK = 81;
  private static final String NODE = "kvm1";

  private static NatTopology nat;
  private static Libvirtd libvirtd;
  private static LibvirtHypervisor hypervisor;
  private static Path key;

  @BeforeAll
  static void start() throws Exception {
    LibvirtTemplate template = LibvirtTemplate.debian();
    nat = NatTopology.create("blv", NETWORK);
    libvirtd = Libvirtd.start(nat, template);
    hypervisor =
        new LibvirtHypervisor(
            new LibvirtSettings(
                List.of(new LibvirtNode(NODE, libvirtd.vmUri(), libvirtd.containerUri())),
                Libvirtd.POOL,
                Libvirtd.VIRSH.path().toString(),
                Duration.ofMinutes(2),
                Duration.ofMillis(500)));
    Path dir = Files.createTempDirectory(Path.of("target"), "libvirt-keys-");
    key = dir.resolve("alice");
    Sshd.generateKey(key);
  }

  @AfterAll
  static void stop() throws Exception {
    if (libvirtd != null) {
      libvirtd.close();
    }
    if (nat != null) {
      nat.close();
    }
  }

  @Test
  void aContainerBootsWithItsMacAddressNameAndKeysAndIsGoneAfterDelete() throws Exception {
    GuestSpec spec = spec(GuestType.CONTAINER, 2001, 41, "ct-alice", "02:be:27:51:00:0a", 10, null);

    hypervisor.create(spec);
    hypervisor.create(spec); // a repeated create after a crash finds its own domain
    hypervisor.configure(spec);
    hypervisor.start(spec.ref());

    assertThat(ssh("root", nat.address(10), "hostname; cat /sys/class/net/eth0/address"))
        .isEqualTo("ct-alice\n02:be:27:51:00:0a\n");
    GuestStatus status = hypervisor.status(spec.ref()).orElseThrow();
    assertThat(status.power()).isEqualTo(PowerState.RUNNING);
    assertThat(status.requestId()).isEqualTo(41L);
    assertThat(status.name()).isEqualTo("ct-alice");

    // The root is a copy of the template's file system that takes only the space its files do.
    String root =
        libvirtd.virshOk("vol-info", "--bytes", "--pool", Libvirtd.POOL, "berth-2001-root.raw");
    long capacity = bytes(root, "Capacity");
    assertThat(capacity).isEqualTo(2L << 30);
    assertThat(bytes(root, "Allocation")).isLessThan(capacity / 2);

    // A running container's file system cannot be frozen: its snapshot waits for a shutdown.
    assertThatThrownBy(() -> hypervisor.snapshot(spec.ref(), "clean", "first boot"))
        .isInstanceOf(HypervisorFailure.class)
        .hasMessageContaining("shut the container down first");
    hypervisor.shutdown(spec.ref(), Duration.ofSeconds(60));
    assertThat(hypervisor.status(spec.ref()).orElseThrow().power()).isEqualTo(PowerState.STOPPED);

    // A snapshot taken, a file written after it, the snapshot rolled back: the file is gone.
    Instant before = Instant.now().minusSeconds(1);
    hypervisor.snapshot(spec.ref(), "clean", "first boot");
    assertThat(hypervisor.snapshots(spec.ref()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name()).isEqualTo("clean");
              assertThat(s.taken()).isBetween(before, Instant.now().plusSeconds(1));
              assertThat(s.running()).isFalse();
            });
    hypervisor.start(spec.ref());
    assertThat(
            ssh(
                "root",
                nat.address(10),
                "echo changed > /root/scratch && sync && cat /root/scratch"))
        .isEqualTo("changed\n");
    hypervisor.shutdown(spec.ref(), Duration.ofSeconds(60));
    hypervisor.rollback(spec.ref(), "clean");
    hypervisor.start(spec.ref());
    assertThat(ssh("root", nat.address(10), "test -e /root/scratch && echo kept || echo gone"))
        .isEqualTo("gone\n");
    hypervisor.shutdown(spec.ref(), Duration.ofSeconds(60));
    hypervisor.snapshot(spec.ref(), "second", "");
    hypervisor.deleteSnapshot(spec.ref(), "clean");
    assertThat(hypervisor.snapshots(spec.ref()))
        .extracting(org.berth.hypervisor.Snapshot::name)
        .containsExactly("second");

    // Deleting the guest deletes its snapshots with it.
    hypervisor.delete(spec.ref());

    assertThat(hypervisor.status(spec.ref())).isEmpty();
    assertThat(libvirtd.virshOk("vol-list", Libvirtd.POOL)).doesNotContain("berth-2001");
  }

  @Test
  void aDomainSomeoneMadeByHandIsListedAsNotBerthsAndItsNameIsNeverTaken() throws Exception {
    Path xml = Files.createTempFile(Path.of("target"), "by-hand-", ".xml");
    Files.writeString(
        xml,
        "<domain type='qemu'><name>berth-2003</name><memory unit='MiB'>64</memory>"
            + "<os><type arch='x86_64'>hvm</type></os></domain>");
    libvirtd.virshOk("define", xml.toString());
    GuestSpec spec = spec(GuestType.VM, 2003, 43, "vm-bob", "02:be:27:51:00:0c", 12, "debian");

    assertThatThrownBy(() -> hypervisor.create(spec)).isInstanceOf(VmidTaken.class);

    Cluster cluster = hypervisor.cluster();
    Optional<GuestStatus> byHand = cluster.guest(2003);
    assertThat(byHand).isPresent();
    assertThat(byHand.get().berths()).isFalse();
    assertThat(cluster.node(NODE).orElseThrow().online()).isTrue();
    assertThat(cluster.node(NODE).orElseThrow().memoryMib()).isPositive();
    assertThat(libvirtd.virshOk("list", "--all", "--name")).contains("berth-2003");
    libvirtd.virshOk("undefine", "berth-2003");
  }

  /**
   * On a node with a libvirt-managed network, a guest on that network's bridge gets a DHCP host
   * reservation of its MAC for its address and name, which the network's dnsmasq reads, and
   * deleting the guest takes it back. A guest on another bridge gets none.
   */
  @Test
  void aGuestOnALibvirtNetworkHasItsAddressReservedForItsMacUntilItIsDeleted() throws Exception {
    new RequiredProgram(Path.of("/usr/sbin/dnsmasq"), "apt-get install dnsmasq-base").require();
    Path xml = Files.createTempFile(Path.of("target"), "ledger-net-", ".xml");
    Files.writeString(
        xml,
        "<network><name>ledger</name><bridge name='brledger' stp='off'/>"
            + "<ip address='198.51.100.1' netmask='255.255.255.0'><dhcp>"
            + "<range start='198.51.100.200' end='198.51.100.250'/></dhcp></ip></network>");
    libvirtd.virshOk("net-define", xml.toString());
    libvirtd.virshOk("net-start", "ledger");
    LibvirtHypervisor withDhcp =
        new LibvirtHypervisor(
            new LibvirtSettings(
                List.of(new LibvirtNode(NODE, libvirtd.vmUri(), libvirtd.containerUri(), "ledger")),
                Libvirtd.POOL,
                Libvirtd.VIRSH.path().toString(),
                Duration.ofMinutes(2),
                Duration.ofMillis(500)));
    GuestSpec onLedger =
        new GuestSpec(
            44,
            "alice",
            new GuestRef(GuestType.VM, NODE, 2004),
            "pvm020",
            LibvirtTemplate.NAME,
            false,
            1,
            256,
            4,
            "brledger",
            "52:54:00:BE:00:14",
            "198.51.100.20/24",
            "198.51.100.1",
            null,
            null,
            List.of(),
            "debian",
            List.of(Files.readString(Path.of(key + ".pub")).strip()));
    GuestSpec elsewhere = spec(GuestType.VM, 2005, 45, "vm-nat", "02:be:27:51:00:0d", 13, "debian");
    try {
      withDhcp.create(onLedger);
      withDhcp.configure(onLedger); // repeated: still one reservation
      withDhcp.create(elsewhere);

      String hosts = libvirtd.virshOk("net-dumpxml", "ledger");
      assertThat(hosts)
          .contains("<host mac='52:54:00:be:00:14' name='pvm020' ip='198.51.100.20'/>")
          .doesNotContain("02:be:27:51:00:0d");
      assertThat(hosts.split("<host ", -1)).hasSize(2);
      Path hostsFile = libvirtd.stateDir().resolve("dnsmasq/ledger.hostsfile");
      assertThat(Files.readString(hostsFile)).isEqualTo("52:54:00:be:00:14,198.51.100.20,pvm020\n");

      withDhcp.delete(onLedger.ref());
      assertThat(libvirtd.virshOk("net-dumpxml", "ledger")).doesNotContain("<host ");
      assertThat(Files.readString(hostsFile)).isEmpty();
    } finally {
      withDhcp.delete(onLedger.ref());
      withDhcp.delete(elsewhere.ref());
      libvirtd.virshOk("net-destroy", "ledger");
      libvirtd.virshOk("net-undefine", "ledger");
    }
  }

  private static GuestSpec spec(
      GuestType type, int vmid, long request, String name, String mac, int host, String user)
      throws Exception {
    return new GuestSpec(
        request,
        "alice",
        new GuestRef(type, NODE, vmid),
        name,
        LibvirtTemplate.NAME,
        false,
        1,
        512,
        4,
        "br0",
        mac,
        nat.address(host) + "/24",
        nat.gatewayAddress(),
        null,
        null,
        List.of(),
        user,
        List.of(Files.readString(Path.of(key + ".pub")).strip()));
  }

  private static long bytes(String volInfo, String field) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^" + field + ":\\s+(\\d+) bytes$").matcher(volInfo);
    assertThat(m.find()).as(volInfo).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** Runs a command on a guest over SSH with alice's key, waiting for the guest to answer. */
  private static String ssh(String user, String address, String command) {
    return Await.until(
            "SSH as " + user + " at " + address,
            Duration.ofMinutes(4),
            Duration.ofSeconds(2),
            () -> {
              try {
                return Exec.run(
                    Libvirtd.guestSsh(key, user + "@" + address, command),
                    Map.of(),
                    Duration.ofSeconds(30));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            },
            r -> r.exit() == 0)
        .out();
  }
}
