package org.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A libvirt daemon of a test's own, inside the gateway namespace of a {@link NatTopology}: its
 * guests' NICs join that namespace's bridge, so the root namespace reaches them by the topology's
 * route and nothing else sees them. It runs in a mount namespace of its own, where libvirt's
 * folders ({@code /etc/libvirt}, {@code /run/libvirt}, {@code /var/lib/libvirt}, {@code
 * /var/log/libvirt}, {@code /var/cache/libvirt}, and its pid files) are this daemon's own, so that
 * daemons of several tests run side by side, {@code /sys} is the namespace's, and the cgroup v2
 * hierarchy of a hybrid host is left out (libvirt's LXC driver cannot bind it into containers
 * there), and in a PID namespace that ends, with every guest, when the daemon's process does. QEMU
 * runs as root here, so that it reads the template without the ownership changes a host's libvirt
 * makes.
 *
 * <p>Clients reach it through its socket: {@link #vmUri()} and {@link #containerUri()}. It has one
 * directory storage pool, {@value #POOL}, holding the template's volumes.
 */
public final class Libvirtd implements AutoCloseable {

  public static final String POOL = "berth";

  public static final RequiredProgram LIBVIRTD =
      new RequiredProgram(Path.of("/usr/sbin/libvirtd"), "apt-get install libvirt-daemon-system");
  public static final RequiredProgram VIRSH =
      new RequiredProgram(Path.of("/usr/bin/virsh"), "apt-get install libvirt-clients");
  public static final RequiredProgram LIBVIRT_LXC =
      new RequiredProgram(
          Path.of("/usr/lib/libvirt/libvirt_lxc"), "apt-get install libvirt-daemon-driver-lxc");
  public static final RequiredProgram QEMU =
      new RequiredProgram(
          Path.of("/usr/bin/qemu-system-x86_64"), "apt-get install qemu-system-x86 qemu-utils");
  public static final RequiredProgram UNSHARE = RequiredProgram.UNSHARE;
  public static final RequiredProgram NSENTER =
      new RequiredProgram(Path.of("/usr/bin/nsenter"), "apt-get install util-linux");
  public static final RequiredProgram GENISOIMAGE =
      new RequiredProgram(Path.of("/usr/bin/genisoimage"), "apt-get install genisoimage");

  private final Process process;
  private final Path dir;

  private Libvirtd(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /**
   * Starts the daemon in {@code nat}'s gateway namespace with the template's volumes in its pool.
   */
  public static Libvirtd start(NatTopology nat, LibvirtTemplate template) throws Exception {
    RequiredProgram.requireRoot();
    LIBVIRTD.require();
    VIRSH.require();
    QEMU.require();
    LIBVIRT_LXC.require();
    UNSHARE.require();
    NSENTER.require();
    GENISOIMAGE.require();
    Path dir = Path.of("/run", "berth-libvirt-" + nat.prefix());
    Exec.run(List.of("rm", "-rf", dir.toString()), Map.of(), Duration.ofSeconds(30));
    for (String sub : List.of("etc", "run", "lib", "log", "cache", "pool")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Exec.run(
        List.of("cp", "-a", "/etc/libvirt/.", dir.resolve("etc").toString()),
        Map.of(),
        Duration.ofSeconds(30));
    // Nothing of the host's libvirt state comes along: no domains, networks or pools.
    for (String sub : List.of("qemu", "lxc", "storage")) {
      Path p = dir.resolve("etc").resolve(sub);
      if (Files.isDirectory(p)) {
        try (var files = Files.walk(p)) {
          for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            if (!Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
              Files.delete(f);
            }
          }
        }
      }
    }
    Files.writeString(
        dir.resolve("etc/qemu.conf"),
        "user = \"root\"\ngroup = \"root\"\ndynamic_ownership = 0\nsecurity_driver = \"none\"\n");
    template.linkInto(dir.resolve("pool"));
    // "ip netns exec" would mount a sysfs of the namespace without the host's cgroup hierarchies,
    // which libvirt needs; so the namespace is entered with nsenter and the script mounts that
    // sysfs itself, with the cgroup v1 hierarchies bound back onto it.
    String script =
        String.join(
            "\n",
            "set -e",
            "mkdir -p " + dir.resolve("cgroup"),
            "mount --rbind /sys/fs/cgroup " + dir.resolve("cgroup"),
            "umount " + dir.resolve("cgroup/unified") + " 2>/dev/null || true",
            "mount -t sysfs sysfs /sys",
            "mount --rbind " + dir.resolve("cgroup") + " /sys/fs/cgroup",
            "mount --bind " + dir.resolve("etc") + " /etc/libvirt",
            "mkdir -p /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt",
            "mount --bind " + dir.resolve("run") + " /run/libvirt",
            "mount --bind " + dir.resolve("lib") + " /var/lib/libvirt",
            "mount --bind " + dir.resolve("log") + " /var/log/libvirt",
            "mount --bind " + dir.resolve("cache") + " /var/cache/libvirt",
            // Daemons of other tests may run beside this one: pid files of its own.
            "/usr/sbin/virtlogd --pid-file " + dir.resolve("virtlogd.pid") + " &",
            "exec /usr/sbin/libvirtd --pid-file " + dir.resolve("libvirtd.pid"));
    Process process =
        new ProcessBuilder(
                NSENTER.path().toString(),
                "--net=/run/netns/" + nat.gatewayNamespace(),
                UNSHARE.path().toString(),
                "--mount",
                "--propagation",
                "private",
                "--pid",
                "--fork",
                "--kill-child",
                "--mount-proc",
                "sh",
                "-c",
                script)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("libvirtd.out").toFile())
            .start();
    Libvirtd daemon = new Libvirtd(process, dir);
    try {
      Await.until(
          "libvirtd to answer on " + daemon.socket(),
          Duration.ofSeconds(30),
          Duration.ofMillis(250),
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError("libvirtd exited:\n" + daemon.output());
            }
            return Files.exists(daemon.socket()) && daemon.answers();
          },
          up -> up);
      daemon.virshOk("pool-define-as", POOL, "dir", "--target", dir.resolve("pool").toString());
      daemon.virshOk("pool-start", POOL);
    } catch (Exception | Error e) {
      daemon.close();
      throw e;
    }
    return daemon;
  }

  /**
   * {@code ssh} straight to a guest as {@code userAtHost} with the private key {@code key}: batch
   * mode, any host key (each guest makes its own on first boot), five seconds to connect.
   */
  public static List<String> guestSsh(Path key, String userAtHost, String command) {
    return List.of(
        RequiredProgram.SSH.require().toString(),
        "-i",
        key.toString(),
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "ConnectTimeout=5",
        // A session whose guest stops answering (a VM rolled back under it) ends in 15 s.
        "-o",
        "ServerAliveInterval=5",
        "-o",
        "ServerAliveCountMax=3",
        "-o",
        "LogLevel=ERROR",
        userAtHost,
        command);
  }

  private boolean answers() {
    try {
      return virsh("version").exit() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The settings that make Berth create its guests here: the libvirt adapter with this daemon as
   * node {@code kvm1}, VMs and containers alike, in the pool {@link #POOL}.
   */
  public List<String> berthSettings() {
    return List.of(
        "berth.hypervisor=libvirt",
        "berth.libvirt.nodes=kvm1",
        "berth.libvirt.node.kvm1.vm-uri=" + vmUri(),
        "berth.libvirt.node.kvm1.container-uri=" + containerUri(),
        "berth.libvirt.pool=" + POOL);
  }

  /** What the daemon has as {@code /var/lib/libvirt}: dnsmasq's files of its networks among it. */
  public Path stateDir() {
    return dir.resolve("lib");
  }

  public Path socket() {
    return dir.resolve("run/libvirt-sock");
  }

  public String vmUri() {
    return "qemu+unix:///system?socket=" + socket();
  }

  public String containerUri() {
    return "lxc+unix:///?socket=" + socket();
  }

  /** Runs {@code virsh -c <vmUri> args}. */
  public Exec.Result virsh(String... args) throws IOException, InterruptedException {
    return virshOn(vmUri(), args);
  }

  /** Runs {@code virsh -c <uri> args}. */
  public Exec.Result virshOn(String uri, String... args) throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of(VIRSH.path().toString(), "-q", "-c", uri));
    command.addAll(List.of(args));
    return Exec.run(command, Map.of(), Duration.ofSeconds(120));
  }

  /** Runs virsh on the VM connection and fails with its output unless it succeeds. */
  public String virshOk(String... args) throws IOException, InterruptedException {
    Exec.Result r = virsh(args);
    if (r.exit() != 0) {
      throw new AssertionError("virsh " + String.join(" ", args) + " failed: " + r.all());
    }
    return r.out();
  }

  public String output() {
    try {
      return Files.readString(dir.resolve("libvirtd.out"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
