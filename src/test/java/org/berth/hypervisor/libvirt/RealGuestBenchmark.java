package org.berth.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.testing.Await;
import org.berth.testing.Exec;
import org.berth.testing.Http;
import org.berth.testing.LibvirtTemplate;
import org.berth.testing.Libvirtd;
import org.berth.testing.NatTopology;
import org.berth.testing.PayaraProcess;
import org.berth.testing.Sshd;
import org.berth.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Approval to SSH answering, for a container and a VM made by Berth on real libvirt, against the
 * same guest made by hand with {@code virsh} from the same template (the floor): the same volumes,
 * the same cloud-init seed, the same domain, started the same way, by the script {@link #BY_HAND}.
 * Both are timed the same way, from the approval (Berth) or the script's start (by hand) until
 * {@code ssh} with the owner's key runs {@code hostname} on the guest and prints its name. Rounds
 * alternate which goes first. Not part of {@code mvn verify}; run it with
 *
 * <pre>
 * mvn verify -Dit.test=RealGuestBenchmark -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dfailsafe.failIfNoSpecifiedTests=false -Dkeycloak.early=false
 * </pre>
 *
 * as root, with libvirt, QEMU and the template's tools installed. It writes its report to {@code
 * target/real-guest-benchmark.md}. {@code -Dbench.rounds=3} sets the rounds of VMs, {@code
 * -Dbench.container-rounds=6} those of containers.
 */
class RealGuestBenchmark {

  static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  static final int CONTAINER_ROUNDS = Integer.getInteger("bench.container-rounds", 6);
  static final Pattern OWN =
      Pattern.compile("Berth's own work (\\d+) ms, hypervisor calls (\\d+) ms");

  /**
   * A guest made by hand, as an administrator would with virsh and the template: the disk (a copy
   * of the template's root for a container, a qcow2 overlay grown to 20 GiB for a VM), a NoCloud
   * seed with the host name, the key and the static address, the domain, and start.
   */
  static final String BY_HAND =
      """
      set -euo pipefail
      v() { virsh -q -c "$URI" "$@"; }
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      mkdir "$work/cidata"
      if [ "$KIND" = vm ]; then
        v vol-create-as "$POOL" "$D-disk.qcow2" 20G --format qcow2 \\
          --backing-vol "$(v vol-path --pool "$POOL" "$TEMPLATE.raw")" --backing-vol-format raw
        user="users: [{name: debian, shell: /bin/bash, sudo: 'ALL=(ALL) NOPASSWD:ALL', lock_passwd: true, ssh_authorized_keys: [\\"$KEY\\"]}]"
      else
        echo "<volume><name>$D-root.raw</name><target><format type='raw'/></target></volume>" > "$work/vol.xml"
        v vol-create-from "$POOL" "$work/vol.xml" --inputpool "$POOL" "$TEMPLATE.raw"
        user="disable_root: false
      ssh_authorized_keys: [\\"$KEY\\"]"
      fi
      printf 'instance-id: %s\\nlocal-hostname: %s\\n' "$D" "$NAME" > "$work/cidata/meta-data"
      printf '#cloud-config\\nhostname: %s\\n%s\\n' "$NAME" "$user" > "$work/cidata/user-data"
      printf 'version: 2\\nethernets:\\n  eth0:\\n    match: {macaddress: "%s"}\\n    addresses: [%s]\\n    gateway4: %s\\n' \\
        "$MAC" "$IP" "$GW" > "$work/cidata/network-config"
      if [ "$KIND" = vm ]; then
        genisoimage -quiet -output "$work/seed.img" -volid cidata -joliet -rock "$work/cidata"
      else
        mkfs.ext4 -q -F -L cidata -d "$work/cidata" "$work/seed.img" 4096k
      fi
      v vol-create-as "$POOL" "$D-seed.img" "$(stat -c %s "$work/seed.img")" --format raw
      v vol-upload --pool "$POOL" "$D-seed.img" "$work/seed.img"
      seed=$(v vol-path --pool "$POOL" "$D-seed.img")
      if [ "$KIND" = vm ]; then
        type=qemu; [ -e /dev/kvm ] && type=kvm
        cat > "$work/domain.xml" <<EOF
      <domain type='$type'>
        <name>$D</name><memory unit='MiB'>$MEMORY</memory><vcpu>$CORES</vcpu>
        <os><type arch='x86_64' machine='pc'>hvm</type>
          <kernel>$(v vol-path --pool "$POOL" "$TEMPLATE.vmlinuz")</kernel>
          <initrd>$(v vol-path --pool "$POOL" "$TEMPLATE.initrd")</initrd>
          <cmdline>root=/dev/vda ro console=ttyS0</cmdline></os>
        <features><acpi/></features>
        <devices>
          <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>
            <source pool='$POOL' volume='$D-disk.qcow2'/><target dev='vda' bus='virtio'/></disk>
          <disk type='volume' device='disk'><driver name='qemu' type='raw'/>
            <source pool='$POOL' volume='$D-seed.img'/><target dev='vdb' bus='virtio'/><readonly/></disk>
          <interface type='bridge'><mac address='$MAC'/><source bridge='$BRIDGE'/><model type='virtio'/></interface>
          <serial type='pty'/><console type='pty'/>
        </devices>
      </domain>
      EOF
      else
        cat > "$work/domain.xml" <<EOF
      <domain type='lxc'>
        <name>$D</name><memory unit='MiB'>$MEMORY</memory><vcpu>$CORES</vcpu>
        <os><type>exe</type><init>/sbin/init</init></os>
        <devices>
          <filesystem type='file' accessmode='passthrough'><driver type='loop' format='raw'/>
            <source file='$(v vol-path --pool "$POOL" "$D-root.raw")'/><target dir='/'/></filesystem>
          <filesystem type='file' accessmode='passthrough'><driver type='loop' format='raw'/>
            <source file='$seed'/><target dir='/var/lib/cloud/seed/nocloud'/><readonly/></filesystem>
          <interface type='bridge'><mac address='$MAC'/><source bridge='$BRIDGE'/></interface>
          <console type='pty'/>
        </devices>
      </domain>
      EOF
      fi
      v define "$work/domain.xml"
      v start "$D"
      """;

  /** One guest's figures: seconds from approval (or the script's start) to SSH answering. */
  record Run(String kind, String how, int round, double seconds, long ownMs, long hypervisorMs) {}

  private NatTopology nat;
  private Libvirtd libvirtd;
  private Http http;
  private Path key;
  private String publicKey;
  private int nextHost = 250;

  @Test
  void approvalToSshAgainstTheSameGuestMadeByHand() throws Exception {
    LibvirtTemplate template = LibvirtTemplate.debian();
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "guest-bench-");
    nat = NatTopology.create("bgb", 83);
    PayaraProcess berth = null;
    try {
      libvirtd = Libvirtd.start(nat, template);
      List<String> settings = new ArrayList<>(TestDatabase.freshSettings());
      settings.addAll(libvirtd.berthSettings());
      settings.addAll(
          List.of(
              "berth.data-dir=" + dir.resolve("data"),
              "berth.ledger.fetch-interval-seconds=3600",
              "berth.nat.network=" + nat.internalNetwork(),
              "berth.nat.bridge=br0"));
      berth = PayaraProcess.start("guest-bench", settings);
      http = new Http(berth.base());
      http.awaitLedger(true);
      http.roomFor("alice");
      Path keys = Files.createDirectories(dir.resolve("keys"));
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
      key = keys.resolve("alice");
      publicKey = Sshd.generateKey(key);

      // Warms Berth, libvirt and the page cache up (the template's files); not reported.
      byBerth("container", 0);
      byHand("container", 0);

      List<Run> runs = new ArrayList<>();
      for (int round = 1; round <= Math.max(ROUNDS, CONTAINER_ROUNDS); round++) {
        for (String kind : List.of("container", "vm")) {
          if (round > (kind.equals("vm") ? ROUNDS : CONTAINER_ROUNDS)) {
            continue;
          }
          if (round % 2 == 1) {
            runs.add(byHand(kind, round));
            runs.add(byBerth(kind, round));
          } else {
            runs.add(byBerth(kind, round));
            runs.add(byHand(kind, round));
          }
        }
      }
      String report = report(runs);
      System.out.println(report);
      Files.writeString(Path.of("target", "real-guest-benchmark.md"), report);
    } finally {
      if (berth != null) {
        berth.close();
      }
      if (libvirtd != null) {
        libvirtd.close();
      }
      nat.close();
    }
  }

  /** A request made, approved, and timed from the approval until SSH answers; then deleted. */
  private Run byBerth(String kind, int round) throws Exception {
    String name = "berth-" + kind + "-" + round;
    String body =
        Json.createObjectBuilder()
            .add("kind", kind)
            .add("name", name)
            .add("template", kind.equals("vm") ? "debian-12" : "debian-12-ct")
            .add("cores", 2)
            .add("memoryMiB", 2048)
            .add("diskGiB", kind.equals("vm") ? 20 : 2)
            .add("network", Json.createObjectBuilder().add("mode", "nat"))
            .add("sshKeys", Json.createArrayBuilder().add(publicKey))
            .add("leaseDays", 5)
            .add("purpose", "benchmark")
            .build()
            .toString();
    HttpResponse<String> submitted = http.call("POST", "api/requests", "alice", "alice", body);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    assertThat(Http.json(submitted).getString("state")).isEqualTo("SUBMITTED");
    long id = Http.json(submitted).getJsonNumber("id").longValue();

    Instant start = Instant.now();
    HttpResponse<String> approved =
        http.call("POST", "api/requests/" + id + "/approve", "admin", "admin", null);
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    String ip =
        Await.until(
                "request " + id + " to have its address",
                Duration.ofMinutes(1),
                Duration.ofMillis(50),
                () -> Http.json(http.get("api/requests/" + id, "alice", "alice")),
                r -> r.containsKey("address") && r.getJsonObject("address").containsKey("ipv4"))
            .getJsonObject("address")
            .getString("ipv4");
    Instant answered = untilSshAnswers(kind, ip, name);
    double seconds = Duration.between(start, answered).toMillis() / 1000.0;

    JsonObject ready = http.awaitRequest("alice", id, "READY");
    assertThat(ready.getString("state")).isEqualTo("READY");
    long own = -1;
    long hypervisor = -1;
    JsonObject guest = Http.json(http.get("api/requests/" + id + "/guest", "alice", "alice"));
    for (JsonObject line : guest.getJsonArray("log").getValuesAs(JsonObject.class)) {
      Matcher m = OWN.matcher(line.getString("detail"));
      if (m.find()) {
        own = Long.parseLong(m.group(1));
        hypervisor = Long.parseLong(m.group(2));
      }
    }
    http.deleteRequest("alice", id);
    return new Run(kind, "Berth", round, seconds, own, hypervisor);
  }

  /** The same guest made by the script, timed from its start until SSH answers; then removed. */
  private Run byHand(String kind, int round) throws Exception {
    String name = "hand-" + kind + "-" + round;
    String domain = name;
    int host = nextHost--;
    String ip = nat.address(host);
    String mac = String.format(Locale.ROOT, "02:be:27:ff:00:%02x", host);
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("URI", kind.equals("vm") ? libvirtd.vmUri() : libvirtd.containerUri()),
            Map.entry("POOL", Libvirtd.POOL),
            Map.entry("TEMPLATE", LibvirtTemplate.NAME),
            Map.entry("KIND", kind),
            Map.entry("D", domain),
            Map.entry("NAME", name),
            Map.entry("MAC", mac),
            Map.entry("IP", ip + "/24"),
            Map.entry("GW", nat.gatewayAddress()),
            Map.entry("BRIDGE", "br0"),
            Map.entry("CORES", "2"),
            Map.entry("MEMORY", "2048"),
            Map.entry("KEY", publicKey),
            Map.entry("PATH", System.getenv("PATH")),
            Map.entry("HOME", System.getProperty("user.home")));
    Instant start = Instant.now();
    Exec.Result made = Exec.run(List.of("bash", "-c", BY_HAND), env, Duration.ofMinutes(5));
    assertThat(made.exit()).as(made.all()).isZero();
    long script = Duration.between(start, Instant.now()).toMillis();
    Instant answered = untilSshAnswers(kind, ip, name);
    double seconds = Duration.between(start, answered).toMillis() / 1000.0;

    String uri = env.get("URI");
    libvirtd.virshOn(uri, "destroy", domain);
    libvirtd.virshOn(uri, "undefine", domain);
    for (String volume :
        List.of(domain + (kind.equals("vm") ? "-disk.qcow2" : "-root.raw"), domain + "-seed.img")) {
      libvirtd.virshOk("vol-delete", "--pool", Libvirtd.POOL, volume);
    }
    return new Run(kind, "by hand", round, seconds, -1, script);
  }

  /**
   * The moment {@code ssh} with alice's key runs {@code hostname} on the guest and prints its name.
   * Port 22 is watched with quick connection attempts first, so that a guest not yet on the network
   * costs no ssh timeouts; both ways of making the guest are timed by this same method.
   */
  private Instant untilSshAnswers(String kind, String ip, String name) throws Exception {
    String user = kind.equals("vm") ? "debian" : "root";
    Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
    while (Instant.now().isBefore(deadline)) {
      if (portOpen(ip)) {
        Exec.Result r =
            Exec.run(
                Libvirtd.guestSsh(key, user + "@" + ip, "hostname"),
                Map.of(),
                Duration.ofSeconds(30));
        if (r.exit() == 0 && r.out().strip().equals(name)) {
          return Instant.now();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " did not answer SSH at " + ip + " within 8 minutes");
  }

  private static boolean portOpen(String ip) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, 22), 250);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String report(List<Run> runs) {
    StringBuilder out = new StringBuilder();
    out.append("| guest | by hand (floor), median | Berth, median | Berth's share | target |")
        .append(" Berth's own work, median | hypervisor calls, median |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (String kind : List.of("container", "vm")) {
      List<Double> hand = seconds(runs, kind, "by hand");
      List<Double> berth = seconds(runs, kind, "Berth");
      double floor = median(hand);
      double total = median(berth);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f s | %.1f s | %+.1f %% (%+.1f s) | under %d %% | %d ms | %.1f s |%n",
              kind,
              floor,
              total,
              (total - floor) / floor * 100,
              total - floor,
              kind.equals("vm") ? 5 : 10,
              medianLong(runs, kind, true),
              medianLong(runs, kind, false) / 1000.0));
    }
    out.append(
            "\nEach run, in the order they ran (for a guest made by hand, the last column is the")
        .append(
            " script's time, its virsh calls included):\n\n| round | guest | made | approval or")
        .append(" start to SSH | Berth's own work | hypervisor calls or script |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Run r : runs) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %.1f s | %s | %s |%n",
              r.round(),
              r.kind(),
              r.how(),
              r.seconds(),
              r.ownMs() < 0 ? "" : r.ownMs() + " ms",
              r.hypervisorMs() < 0
                  ? ""
                  : String.format(Locale.ROOT, "%.1f s", r.hypervisorMs() / 1000.0)));
    }
    return out.toString();
  }

  private static List<Double> seconds(List<Run> runs, String kind, String how) {
    return runs.stream()
        .filter(r -> r.kind().equals(kind) && r.how().equals(how))
        .map(Run::seconds)
        .toList();
  }

  private static long medianLong(List<Run> runs, String kind, boolean own) {
    List<Double> values =
        runs.stream()
            .filter(r -> r.kind().equals(kind) && r.how().equals("Berth"))
            .map(r -> (double) (own ? r.ownMs() : r.hypervisorMs()))
            .toList();
    return Math.round(median(values));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
