package org.berth.hypervisor.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.berth.hypervisor.simulator.ProxmoxClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedProxmoxTest {

  static final SimulatorSettings SETTINGS =
      SimulatorSettings.defaults().withTaskDuration(Duration.ofMillis(100));

  static SimulatedProxmox proxmox;
  static ProxmoxClient api;

  @BeforeAll
  static void start() {
    proxmox = SimulatedProxmox.start(SETTINGS);
    api = new ProxmoxClient(proxmox.url(), SETTINGS.authorization());
  }

  @AfterAll
  static void stop() {
    proxmox.stop();
  }

  @BeforeEach
  void reset() {
    proxmox.reset();
  }

  /** Keys as the {@code sshkeys} format wants them: percent-encoded, spaces as %20. */
  static String percentEncoded(String keys) {
    return URLEncoder.encode(keys, StandardCharsets.UTF_8).replace("+", "%20");
  }

  SimulatedGuest guest(int vmid) {
    return proxmox.guests().stream().filter(g -> g.vmid() == vmid).findFirst().orElse(null);
  }

  JsonObject resource(String id) throws IOException {
    return api.get("/cluster/resources", "type", "vm").body().getJsonArray("data").stream()
        .map(JsonValue::asJsonObject)
        .filter(r -> r.getString("id").equals(id))
        .findFirst()
        .orElse(null);
  }

  @Test
  void saysItIsSimulated() throws IOException {
    Reply version = api.get("/version");

    assertThat(version.status()).isEqualTo(200);
    assertThat(version.object().getString("repoid")).isEqualTo("simulated");
    assertThat(version.object().getString("version")).isEqualTo("8.3.0");
    assertThat(proxmox.url().toString()).startsWith("http://127.0.0.1:");
  }

  /**
   * Snapshots as Proxmox keeps them: the list ends with {@code current} pointing at the latest; a
   * rollback restores the config, running again when the snapshot kept the VM's memory; names
   * follow {@code pve-configid}; used and unknown names are refused with Proxmox's words.
   */
  @Test
  void takesListsRollsBackAndDeletesSnapshots() throws IOException {
    api.finish(api.post("/nodes/sim1/qemu/9000/clone", "newid", "101", "name", "snap-1"));
    api.finish(api.post("/nodes/sim1/qemu/101/status/start"));
    JsonObject taken =
        api.finish(
            api.post(
                "/nodes/sim1/qemu/101/snapshot",
                "snapname",
                "before",
                "description",
                "first",
                "vmstate",
                "1"));
    assertThat(taken.getString("type")).isEqualTo("qmsnapshot");
    assertThat(taken.getString("exitstatus")).isEqualTo("OK");

    assertThat(api.put("/nodes/sim1/qemu/101/config", "cores", "6").status()).isEqualTo(200);
    api.finish(api.post("/nodes/sim1/qemu/101/status/stop"));
    var list = api.get("/nodes/sim1/qemu/101/snapshot").body().getJsonArray("data");
    assertThat(list).hasSize(2);
    JsonObject before = list.getJsonObject(0);
    assertThat(before.getString("name")).isEqualTo("before");
    assertThat(before.getString("description")).isEqualTo("first");
    assertThat(before.getInt("vmstate")).isEqualTo(1);
    assertThat(before.getJsonNumber("snaptime").longValue()).isPositive();
    assertThat(list.getJsonObject(1).getString("name")).isEqualTo("current");
    assertThat(list.getJsonObject(1).getString("parent")).isEqualTo("before");

    assertThat(api.post("/nodes/sim1/qemu/101/snapshot", "snapname", "before").message())
        .isEqualTo("snapshot name 'before' already used");
    Reply badName = api.post("/nodes/sim1/qemu/101/snapshot", "snapname", "1st try");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.errors().getString("snapname")).contains("invalid configuration ID");
    assertThat(api.post("/nodes/sim1/qemu/101/snapshot/nope/rollback").message())
        .isEqualTo("snapshot 'nope' does not exist");

    JsonObject rolledBack = api.finish(api.post("/nodes/sim1/qemu/101/snapshot/before/rollback"));
    assertThat(rolledBack.getString("type")).isEqualTo("qmrollback");
    assertThat(guest(101).config()).doesNotContainEntry("cores", "6");
    assertThat(guest(101).status()).isEqualTo("running");

    api.finish(api.delete("/nodes/sim1/qemu/101/snapshot/before"));
    assertThat(api.get("/nodes/sim1/qemu/101/snapshot").body().getJsonArray("data"))
        .singleElement()
        .satisfies(c -> assertThat(c.asJsonObject().getString("name")).isEqualTo("current"));
  }

  @Test
  void clonesConfiguresStartsStopsAndDeletesAVm() throws IOException {
    String key = ed25519("alice@laptop");
    Reply clone =
        api.post(
            "/nodes/sim1/qemu/9000/clone",
            "newid",
            "100",
            "name",
            "web-1",
            "target",
            "sim2",
            "full",
            "1");
    assertThat(clone.text())
        .matches(
            "UPID:sim1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmclone:9000:" + "berth@pve!berth:");
    assertThat(guest(100).lock()).isEqualTo("clone");
    assertThat(api.put("/nodes/sim2/qemu/100/config", "cores", "4").message())
        .isEqualTo("VM 100 is locked (clone)");

    JsonObject cloned = api.finish(clone);
    assertThat(cloned.getString("exitstatus")).isEqualTo("OK");
    assertThat(cloned.getString("type")).isEqualTo("qmclone");
    assertThat(guest(100).lock()).isNull();
    assertThat(guest(100).node()).isEqualTo("sim2");

    Reply configure =
        api.post(
            "/nodes/sim2/qemu/100/config",
            "cores",
            "4",
            "memory",
            "4096",
            "tags",
            "berth;owner-alice",
            "net0",
            "virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1",
            "ipconfig0",
            "ip=192.0.2.10/24,gw=192.0.2.1",
            "ciuser",
            "alice",
            "sshkeys",
            percentEncoded(key + "\n"),
            "description",
            "Test VM of alice");
    assertThat(guest(100).config()).containsEntry("cores", "2");
    assertThat(api.finish(configure).getString("exitstatus")).isEqualTo("OK");

    JsonObject config = api.get("/nodes/sim2/qemu/100/config").object();
    assertThat(config.getInt("cores")).isEqualTo(4);
    assertThat(config.getString("memory")).isEqualTo("4096");
    assertThat(config.getString("name")).isEqualTo("web-1");
    assertThat(config.getString("tags")).isEqualTo("berth;owner-alice");
    assertThat(config.getString("net0"))
        .isEqualTo("virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1");
    assertThat(config.getString("ipconfig0")).isEqualTo("ip=192.0.2.10/24,gw=192.0.2.1");
    assertThat(config.getString("sshkeys")).isEqualTo(percentEncoded(key + "\n"));
    assertThat(config.getString("scsi0")).isEqualTo("local-lvm:vm-100-disk-0,size=3G");
    assertThat(config.getString("digest")).hasSize(40);
    assertThat(config.containsKey("template")).isFalse();

    assertThat(api.finish(api.post("/nodes/sim2/qemu/100/status/start")).getString("exitstatus"))
        .isEqualTo("OK");
    JsonObject status = api.get("/nodes/sim2/qemu/100/status/current").object();
    assertThat(status.getString("status")).isEqualTo("running");
    assertThat(status.getString("qmpstatus")).isEqualTo("running");
    assertThat(status.getJsonNumber("maxmem").longValue()).isEqualTo(4096L << 20);
    assertThat(status.getInt("cpus")).isEqualTo(4);
    JsonObject resource = resource("qemu/100");
    assertThat(resource.getString("status")).isEqualTo("running");
    assertThat(resource.getString("tags")).isEqualTo("berth;owner-alice");
    assertThat(resource.getString("node")).isEqualTo("sim2");

    assertThat(
            api.finish(api.post("/nodes/sim2/qemu/100/status/shutdown", "timeout", "60"))
                .getString("exitstatus"))
        .isEqualTo("OK");
    assertThat(guest(100).status()).isEqualTo("stopped");

    JsonObject deleted = api.finish(api.delete("/nodes/sim2/qemu/100", "purge", "1"));
    assertThat(deleted.getString("exitstatus")).isEqualTo("OK");
    assertThat(deleted.getString("type")).isEqualTo("qmdestroy");
    assertThat(guest(100)).isNull();
    assertThat(api.get("/nodes/sim2/qemu/100/config").message())
        .isEqualTo("Configuration file 'nodes/sim2/qemu-server/100.conf' does not exist");
  }

  @Test
  void appliesPutConfigAtOnceAndChecksTheDigest() throws IOException {
    api.finish(api.post("/nodes/sim1/qemu/9000/clone", "newid", "101", "name", "db-1"));
    String digest = api.get("/nodes/sim1/qemu/101/config").object().getString("digest");

    Reply put = api.put("/nodes/sim1/qemu/101/config", "onboot", "1", "digest", digest);

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.data()).isEqualTo(JsonValue.NULL);
    assertThat(guest(101).config()).containsEntry("onboot", "1");
    assertThat(api.put("/nodes/sim1/qemu/101/config", "cores", "8", "digest", digest).message())
        .startsWith("detected modified configuration");
    assertThat(api.put("/nodes/sim1/qemu/101/config", "delete", "onboot").status()).isEqualTo(200);
    assertThat(guest(101).config()).doesNotContainKey("onboot");
  }

  @Test
  void linkedClonesComeOnlyFromTemplates() throws IOException {
    api.finish(api.post("/nodes/sim1/qemu/9000/clone", "newid", "102", "full", "0"));
    assertThat(guest(102).config().get("scsi0"))
        .isEqualTo("local-lvm:base-9000-disk-0/vm-102-disk-0,size=3G");
    assertThat(guest(102).name()).isEqualTo("Copy-of-VM-debian-12");

    Reply linked = api.post("/nodes/sim1/qemu/102/clone", "newid", "103", "full", "0");

    assertThat(linked.status()).isEqualTo(400);
    assertThat(linked.errors().getString("full")).contains("linked clone feature is not supported");
  }

  @Test
  void createsStartsAndDeletesAContainer() throws IOException {
    String key = ed25519("bob@desk");
    Reply create =
        api.post(
            "/nodes/sim3/lxc",
            "vmid",
            "200",
            "ostemplate",
            "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
            "hostname",
            "ct-1",
            "net0",
            "name=eth0,bridge=vmbr1,hwaddr=BC:24:11:00:00:01,ip=192.0.2.20/24,gw=192.0.2.1",
            "ssh-public-keys",
            key + "\n",
            "rootfs",
            "local-lvm:8",
            "cores",
            "2",
            "memory",
            "1024",
            "unprivileged",
            "1",
            "tags",
            "berth");
    assertThat(create.text()).contains(":vzcreate:200:");
    assertThat(guest(200).lock()).isEqualTo("create");
    assertThat(api.finish(create).getString("exitstatus")).isEqualTo("OK");

    JsonObject config = api.get("/nodes/sim3/lxc/200/config").object();
    assertThat(config.getString("hostname")).isEqualTo("ct-1");
    assertThat(config.getString("rootfs")).isEqualTo("local-lvm:vm-200-disk-0,size=8G");
    assertThat(config.getString("net0"))
        .isEqualTo(
            "name=eth0,bridge=vmbr1,gw=192.0.2.1,hwaddr=BC:24:11:00:00:01,ip=192.0.2.20/24,type=veth");
    assertThat(config.getInt("memory")).isEqualTo(1024);
    assertThat(config.getString("ostype")).isEqualTo("debian");
    assertThat(config.containsKey("lock")).isFalse();

    assertThat(api.finish(api.post("/nodes/sim3/lxc/200/status/start")).getString("type"))
        .isEqualTo("vzstart");
    assertThat(api.get("/nodes/sim3/lxc/200/status/current").object().getString("status"))
        .isEqualTo("running");
    assertThat(api.finish(api.delete("/nodes/sim3/lxc/200")).getString("exitstatus"))
        .isEqualTo("CT 200 is running - destroy failed");
    api.finish(api.post("/nodes/sim3/lxc/200/status/stop"));
    assertThat(api.finish(api.delete("/nodes/sim3/lxc/200")).getString("exitstatus"))
        .isEqualTo("OK");
    assertThat(guest(200)).isNull();
  }

  @Test
  void refusesAContainerFromATemplateTheNodeDoesNotHave() throws IOException {
    Reply create =
        api.post("/nodes/sim1/lxc", "vmid", "201", "ostemplate", "local:vztmpl/centos.tar.xz");

    assertThat(create.status()).isEqualTo(500);
    assertThat(create.message()).isEqualTo("volume 'local:vztmpl/centos.tar.xz' does not exist");
  }

  @Test
  void refusesRequestsWithoutTheToken() throws IOException {
    Reply none = api.withAuthorization(null).get("/cluster/resources");
    Reply wrong =
        api.withAuthorization("PVEAPIToken=berth@pve!berth=wrong-secret")
            .post("/nodes/sim1/qemu/9000/clone", "newid", "100");

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.message()).isEqualTo("authentication failure");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body().toString()).doesNotContain(SETTINGS.tokenSecret());
    assertThat(guest(100)).isNull();
  }

  @Test
  void refusesUnknownAndMissingParametersLikeProxmox() throws IOException {
    Reply unknown = api.put("/nodes/sim1/qemu/9000/config", "colour", "blue", "cores", "0");
    Reply missing = api.post("/nodes/sim1/qemu/9000/clone", "name", "bad_name");

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.message()).isEqualTo("Parameter verification failed.");
    assertThat(unknown.data()).isEqualTo(JsonValue.NULL);
    assertThat(unknown.errors())
        .containsOnlyKeys("colour", "cores")
        .containsEntry(
            "colour",
            jsonString(
                "property is not defined in schema and the schema does not allow additional"
                    + " properties"))
        .containsEntry("cores", jsonString("value must have a minimum value of 1"));
    assertThat(missing.errors().getString("newid"))
        .isEqualTo("property is missing and it is not optional");
    assertThat(missing.errors().getString("name")).contains("valid DNS name");
    assertThat(api.put("/nodes/sim1/qemu/9000/config", "net32", "virtio,bridge=vmbr0").errors())
        .containsKey("net32");
  }

  static JsonValue jsonString(String s) {
    return jakarta.json.Json.createValue(s);
  }

  @Test
  void takesSshKeysOnlyWhenPercentEncoded() throws IOException {
    String keys = ed25519("alice") + "\n" + ed25519("alice@phone");
    String formEncoded = URLEncoder.encode(keys, StandardCharsets.UTF_8);

    Reply plus = api.put("/nodes/sim1/qemu/9000/config", "sshkeys", formEncoded);
    Reply raw = api.put("/nodes/sim1/qemu/9000/config", "sshkeys", keys);
    Reply broken =
        api.put("/nodes/sim1/qemu/9000/config", "sshkeys", percentEncoded("ssh-ed25519 AAAAnope"));
    Reply good = api.put("/nodes/sim1/qemu/9000/config", "sshkeys", percentEncoded(keys));

    assertThat(plus.status()).isEqualTo(400);
    assertThat(plus.errors().getString("sshkeys")).contains("invalid urlencoded string");
    assertThat(raw.errors().getString("sshkeys")).contains("invalid urlencoded string");
    assertThat(broken.errors().getString("sshkeys")).contains("invalid SSH public key");
    assertThat(good.status()).isEqualTo(200);
    assertThat(guest(9000).config()).containsEntry("sshkeys", percentEncoded(keys));
  }

  @Test
  void refusesBadMacAddressesAndGatewaysWithoutAddress() throws IOException {
    Reply multicast = api.put("/nodes/sim1/qemu/9000/config", "net0", "virtio=01:00:5E:00:00:01");
    Reply short_ = api.put("/nodes/sim1/qemu/9000/config", "net0", "virtio=BC:24:11:AA:BB");
    Reply gateway = api.put("/nodes/sim1/qemu/9000/config", "ipconfig0", "gw=192.0.2.1");
    Reply container =
        api.post(
            "/nodes/sim1/lxc",
            "vmid",
            "202",
            "ostemplate",
            Cluster.CONTAINER_TEMPLATES.get(0),
            "net0",
            "bridge=vmbr0,hwaddr=BC:24:11:00:00:0Z");

    assertThat(multicast.errors().getString("net0")).contains("valid unicast MAC address");
    assertThat(short_.errors().getString("net0")).contains("macaddr");
    assertThat(gateway.errors().getString("ipconfig0"))
        .contains("gateway specified without specifying an IP address");
    assertThat(container.errors().getString("net0")).contains("hwaddr");
    assertThat(guest(9000).config().get("net0")).isEqualTo("virtio=BC:24:11:5E:90:00,bridge=vmbr0");
  }

  @Test
  void refusesAVmidThatIsTaken() throws IOException {
    proxmox.addForeignGuest(100, "sim3", "lxc", "someone-elses");

    Reply clone = api.post("/nodes/sim1/qemu/9000/clone", "newid", "100");
    Reply container =
        api.post(
            "/nodes/sim1/lxc", "vmid", "9001", "ostemplate", Cluster.CONTAINER_TEMPLATES.get(1));

    assertThat(clone.status()).isEqualTo(500);
    assertThat(clone.message()).isEqualTo("unable to create VM 100: config file already exists");
    assertThat(container.message()).isEqualTo("VM 9001 already exists on node 'sim1'");
    assertThat(guest(100).type()).isEqualTo("lxc");
  }

  @Test
  void startFailsOnAMissingBridgeOrARunningVm() throws IOException {
    api.finish(api.post("/nodes/sim1/qemu/9000/clone", "newid", "104"));
    api.put("/nodes/sim1/qemu/104/config", "net1", "virtio,bridge=vmbr9");

    assertThat(api.finish(api.post("/nodes/sim1/qemu/104/status/start")).getString("exitstatus"))
        .isEqualTo("bridge 'vmbr9' does not exist");
    api.put("/nodes/sim1/qemu/104/config", "delete", "net1");
    assertThat(api.finish(api.post("/nodes/sim1/qemu/104/status/reboot")).getString("exitstatus"))
        .isEqualTo("VM 104 not running");
    api.finish(api.post("/nodes/sim1/qemu/104/status/start"));
    assertThat(api.finish(api.post("/nodes/sim1/qemu/104/status/start")).getString("exitstatus"))
        .isEqualTo("VM 104 already running");
    assertThat(api.finish(api.delete("/nodes/sim1/qemu/104")).getString("exitstatus"))
        .isEqualTo("VM 104 is running - destroy failed");
    assertThat(api.post("/nodes/sim1/qemu/9000/status/start").message())
        .isEqualTo("you can't start a vm if it's a template");
  }

  @Test
  void answersUnknownNodesVmidsTasksAndMethodsLikeProxmox() throws IOException {
    assertThat(api.get("/nodes/sim9/qemu/9000/config").message())
        .startsWith("hostname lookup 'sim9' failed");
    assertThat(api.get("/nodes/sim2/qemu/9000/config").message())
        .isEqualTo("Configuration file 'nodes/sim2/qemu-server/9000.conf' does not exist");
    assertThat(api.get("/nodes/sim1/lxc/9000/status/current").message())
        .isEqualTo("Configuration file 'nodes/sim1/lxc/9000.conf' does not exist");
    assertThat(
            api.get(
                    "/nodes/sim1/tasks/UPID:sim1:00001234:00001234:00001234:qmstart:100:x@pve:/status")
                .message())
        .isEqualTo("no such task");
    Reply migrate = api.post("/nodes/sim1/qemu/9000/migrate", "target", "sim2");
    assertThat(migrate.status()).isEqualTo(501);
    assertThat(migrate.message())
        .isEqualTo(
            "Method 'POST /nodes/sim1/qemu/9000/migrate' not implemented by the simulated cluster");
  }

  @Test
  void listsNodesWithTheMemoryOfRunningGuests() throws IOException {
    api.finish(api.post("/nodes/sim1/qemu/9000/clone", "newid", "105"));
    api.finish(api.post("/nodes/sim1/qemu/105/status/start"));

    List<JsonObject> nodes =
        api.get("/nodes").body().getJsonArray("data").getValuesAs(JsonObject.class);

    assertThat(nodes).extracting(n -> n.getString("node")).containsExactly("sim1", "sim2", "sim3");
    assertThat(nodes.get(0).getJsonNumber("mem").longValue()).isEqualTo((2L << 30) + (2048L << 20));
    assertThat(nodes.get(0).getJsonNumber("maxmem").longValue()).isEqualTo(64L << 30);
    assertThat(nodes.get(1).getJsonNumber("mem").longValue()).isEqualTo(2L << 30);
    assertThat(nodes.get(2).getInt("maxcpu")).isEqualTo(8);
    assertThat(api.get("/cluster/resources", "type", "storage").body().getJsonArray("data").size())
        .isEqualTo(6);
  }

  @Test
  void http500And503FaultsAnswerWithoutActing() throws IOException {
    proxmox.inject(new Fault(Fault.Kind.HTTP_500, "POST", "/clone$", 1, "boom", null));
    proxmox.inject(Fault.once(Fault.Kind.HTTP_503, null, "^/nodes/sim1/lxc$"));

    Reply failed = api.post("/nodes/sim1/qemu/9000/clone", "newid", "106");
    Reply unavailable =
        api.post(
            "/nodes/sim1/lxc", "vmid", "203", "ostemplate", Cluster.CONTAINER_TEMPLATES.get(0));

    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.message()).isEqualTo("boom");
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.message()).contains("simulated");
    assertThat(guest(106)).isNull();
    assertThat(guest(203)).isNull();
    assertThat(
            api.finish(api.post("/nodes/sim1/qemu/9000/clone", "newid", "106"))
                .getString("exitstatus"))
        .isEqualTo("OK");
  }

  @Test
  void timeoutFaultStallsThenAnswers500WithoutActing() throws IOException {
    proxmox.inject(new Fault(Fault.Kind.TIMEOUT, null, "/clone", 1, null, Duration.ofMillis(400)));

    Instant before = Instant.now();
    Reply stalled = api.post("/nodes/sim1/qemu/9000/clone", "newid", "107");

    assertThat(Duration.between(before, Instant.now()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    assertThat(stalled.status()).isEqualTo(500);
    assertThat(stalled.message()).contains("timeout");
    assertThat(guest(107)).isNull();
  }

  @Test
  void lostResponseActsButClosesTheConnection() throws IOException {
    proxmox.inject(Fault.once(Fault.Kind.LOST_RESPONSE, "POST", "/clone"));
    proxmox.inject(Fault.once(Fault.Kind.LOST_RESPONSE, "GET", "^/version$"));

    assertThatThrownBy(() -> api.post("/nodes/sim1/qemu/9000/clone", "newid", "108"))
        .isInstanceOf(IOException.class);
    assertThat(guest(108)).isNotNull();
    assertThat(proxmox.journal()).last().extracting(JournalEntry::status).isEqualTo(0);
    // A GET on a kept-alive connection is not quietly sent again by the client.
    assertThat(api.get("/nodes").status()).isEqualTo(200);
    assertThatThrownBy(() -> api.get("/version")).isInstanceOf(IOException.class);
    assertThat(api.get("/version").status()).isEqualTo(200);
  }

  @Test
  void servesHttpsWithTheGivenKeystore(@TempDir Path dir) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    assumeTrue(Files.isExecutable(keytool), "needs keytool from the JDK");
    Path keystore =
        LoopbackKeystore.create(dir.resolve("simulator.p12"), "simulator", "secret-pass");
    SSLContext tls = LoopbackKeystore.trusting(keystore, "secret-pass");

    try (SimulatedProxmox https =
        SimulatedProxmox.start(SETTINGS.withTls(keystore, "secret-pass"))) {
      ProxmoxClient client =
          new ProxmoxClient(
              HttpClient.newBuilder().sslContext(tls).build(),
              https.url(),
              SETTINGS.authorization());

      assertThat(https.url().getScheme()).isEqualTo("https");
      assertThat(client.get("/version").object().getString("repoid")).isEqualTo("simulated");
    }
  }

  @Test
  void taskFailureLeavesNoGuest() throws IOException {
    proxmox.inject(new Fault(Fault.Kind.TASK_FAILURE, null, "/clone", 1, "storage full", null));
    proxmox.inject(Fault.once(Fault.Kind.TASK_FAILURE, "POST", "/lxc$"));

    Reply clone = api.post("/nodes/sim1/qemu/9000/clone", "newid", "109");
    assertThat(guest(109).lock()).isEqualTo("clone");
    JsonObject cloned = api.finish(clone);
    JsonObject created =
        api.finish(
            api.post(
                "/nodes/sim2/lxc",
                "vmid",
                "204",
                "ostemplate",
                Cluster.CONTAINER_TEMPLATES.get(2)));

    assertThat(cloned.getString("exitstatus")).isEqualTo("storage full");
    assertThat(created.getString("exitstatus")).isEqualTo("simulated task failure");
    assertThat(guest(109)).isNull();
    assertThat(guest(204)).isNull();
  }

  @Test
  void aDownNodeAnswers595AndItsGuestsAreUnknown() throws IOException {
    proxmox.nodeDown("sim1");

    Reply config = api.get("/nodes/sim1/qemu/9000/config");
    Reply clone = api.post("/nodes/sim1/qemu/9000/clone", "newid", "110");

    assertThat(config.status()).isEqualTo(595);
    assertThat(config.message()).isEqualTo("no route to host");
    assertThat(clone.status()).isEqualTo(595);
    assertThat(resource("qemu/9000").getString("status")).isEqualTo("unknown");
    JsonObject node =
        api.get("/cluster/resources", "type", "node").body().getJsonArray("data").getJsonObject(0);
    assertThat(node.getString("status")).isEqualTo("offline");

    proxmox.nodeUp("sim1");
    assertThat(api.get("/nodes/sim1/qemu/9000/config").status()).isEqualTo(200);
    assertThat(resource("qemu/9000").getString("status")).isEqualTo("stopped");
  }

  @Test
  void tasksEndOnTimeWithoutPolling() {
    proxmox.taskDuration(Duration.ofMillis(50));
    Instant before = Instant.now();
    try {
      api.post("/nodes/sim1/qemu/9000/clone", "newid", "111");
    } catch (IOException e) {
      throw new AssertionError(e);
    }

    while (guest(111).lock() != null) {
      assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(2));
      ProxmoxClient.sleep(10);
    }
  }

  @Test
  void journalRecordsEveryRequest() throws IOException {
    proxmox.clearJournal();
    api.post("/nodes/sim1/qemu/9000/clone", "newid", "112", "name", "app-1");
    api.withAuthorization(null).get("/version");
    api.get("/cluster/resources", "type", "vm");

    List<JournalEntry> journal = proxmox.journal();

    assertThat(journal)
        .extracting(JournalEntry::method, JournalEntry::path, JournalEntry::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", "/nodes/sim1/qemu/9000/clone", 200),
            org.assertj.core.groups.Tuple.tuple("GET", "/version", 401),
            org.assertj.core.groups.Tuple.tuple("GET", "/cluster/resources", 200));
    assertThat(journal.get(0).parameters()).isEqualTo(Map.of("newid", "112", "name", "app-1"));
    assertThat(journal.get(2).parameters()).isEqualTo(Map.of("type", "vm"));
    proxmox.clearJournal();
    assertThat(proxmox.journal()).isEmpty();
  }

  @Test
  void resetRestoresTheInitialCluster() throws IOException {
    api.finish(api.post("/nodes/sim1/qemu/9000/clone", "newid", "113"));
    proxmox.nodeDown("sim2");
    proxmox.inject(Fault.once(Fault.Kind.HTTP_500, null, null));

    proxmox.reset();

    assertThat(proxmox.guests()).extracting(SimulatedGuest::vmid).containsExactly(9000, 9001);
    assertThat(proxmox.guests()).allMatch(SimulatedGuest::template);
    assertThat(api.get("/nodes/sim2/qemu/9000/config").status()).isEqualTo(500);
    assertThat(api.get("/version").status()).isEqualTo(200);
  }

  /** A well-formed ssh-ed25519 public key line with a random key. */
  private static String ed25519(String comment) {
    byte[] type = "ssh-ed25519".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    java.nio.ByteBuffer blob = java.nio.ByteBuffer.allocate(8 + type.length + key.length);
    blob.putInt(type.length).put(type).putInt(key.length).put(key);
    return "ssh-ed25519 "
        + java.util.Base64.getEncoder().encodeToString(blob.array())
        + " "
        + comment;
  }
}
