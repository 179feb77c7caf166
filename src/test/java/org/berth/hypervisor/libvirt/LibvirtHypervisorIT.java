package org.berth.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.PowerState;
import org.berth.hypervisor.VmidTaken;
import org.berth.testing.Await;
import org.berth.testing.Exec;
import org.berth.testing.LibvirtTemplate;
import org.berth.testing.Libvirtd;
import org.berth.testing.NatTopology;
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

    hypervisor.shutdown(spec.ref(), Duration.ofSeconds(60));
    assertThat(hypervisor.status(spec.ref()).orElseThrow().power()).isEqualTo(PowerState.STOPPED);
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
