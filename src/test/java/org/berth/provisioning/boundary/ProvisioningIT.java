package org.berth.provisioning.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.berth.testing.GitCli.git;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.berth.testing.Await;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.berth.testing.SimulatorControl;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Provisioning in the deployed application against the simulated Proxmox cluster Berth runs (the
 * shared {@link DemoBerth} runs it with 0.3 s tasks): VM and container lifecycles, every kind of
 * fault the cluster can inject, power actions, and reconciliation.
 */
class ProvisioningIT {

  static final Path REMOTE = Path.of("target", "it-data", "ledger.git").toAbsolutePath();
  static final String KEY = TestKeys.ed25519("alice@laptop");
  static final SimulatorControl SIM = DemoBerth.SIM;

  Http http;

  @BeforeEach
  void ready() {
    http = DemoBerth.readyFor("alice", "bob");
    SIM.clearFaults();
  }

  @AfterEach
  void clean() {
    SIM.clearFaults();
    for (String node : List.of("sim1", "sim2", "sim3")) {
      SIM.nodeUp(node);
    }
  }

  @Test
  void anApprovedVmBecomesReadyWithItsEntrysMacAndAddressAndDeletingItReleasesTheEntry() {
    JsonObject submitted =
        submit("alice", "vm", "prov-vm", "debian-12", ledger("pvm048.example.com"));
    long id = submitted.getInt("id");
    JsonObject ready = awaitState("alice", id, "READY");

    String node = ready.getJsonObject("guest").getString("node");
    int vmid = ready.getJsonObject("guest").getInt("vmid");
    JsonObject address = ready.getJsonObject("address");
    JsonObject guest = SIM.guest(vmid).orElseThrow();
    assertThat(guest.getString("node")).isEqualTo(node);
    assertThat(guest.getString("status")).isEqualTo("running");
    JsonObject config = guest.getJsonObject("config");
    assertThat(config.getString("net0"))
        .isEqualTo("virtio=" + address.getString("mac").toUpperCase() + ",bridge=vmbr0");
    assertThat(config.getString("ipconfig0")).startsWith("ip=" + address.getString("ipv4") + "/24");
    assertThat(config.getString("ciuser")).isEqualTo("debian");
    assertThat(
            java.net.URLDecoder.decode(
                config.getString("sshkeys"), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(KEY + "\n");
    assertThat(SIM.guestsOf(id)).hasSize(1);

    JsonObject detail = Http.json(http.get("api/requests/" + id + "/guest", "alice", "alice"));
    assertThat(detail.getString("power")).isEqualTo("running");
    assertThat(detail.getInt("vmid")).isEqualTo(vmid);
    assertThat(steps(detail, "done")).containsSubsequence("Place", "Create", "Configure", "Done");
    assertThat(http.get("api/requests/" + id + "/guest", "bob", "bob").statusCode()).isEqualTo(404);

    HttpResponse<String> deleted =
        http.call("DELETE", "api/requests/" + id, "alice", "alice", null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    awaitState("alice", id, "DELETED");
    assertThat(SIM.guest(vmid)).isEmpty();
    await(
        "the release of pvm048",
        () ->
            Http.json(http.get("api/ledger/entries/pvm048.example.com", "alice", "alice"))
                .isNull("holder"));
    assertThat(git(REMOTE, "log", "-1", "--format=%an|%s", "main").strip())
        .isEqualTo("Alice Example|Release pvm048.example.com from alice");
  }

  @Test
  void aNatContainerIsCreatedOnTheInternalBridgeAndItsOwnerStartsAndStopsIt() {
    long id = submit("bob", "container", "prov-ct", "alpine-3.20-ct", nat()).getInt("id");
    JsonObject ready = awaitState("bob", id, "READY");
    int vmid = ready.getJsonObject("guest").getInt("vmid");
    JsonObject guest = SIM.guest(vmid).orElseThrow();
    assertThat(guest.getString("type")).isEqualTo("lxc");
    JsonObject address = ready.getJsonObject("address");
    String ipv4 = address.getString("ipv4");
    assertThat(ipv4).startsWith("10.77.0.");
    String suffix = String.format("%02x", Integer.parseInt(ipv4.substring("10.77.0.".length())));
    // Berth writes MACs lower case; Proxmox is given them in upper case, as it shows them.
    assertThat(address.getString("mac")).isEqualTo("02:be:27:00:00:" + suffix);
    assertThat(guest.getJsonObject("config").getString("net0"))
        .isEqualTo(
            "name=eth0,bridge=vmbr1,gw=10.77.0.1,hwaddr=02:BE:27:00:00:"
                + suffix.toUpperCase()
                + ",ip="
                + ipv4
                + "/24,type=veth");
    assertThat(guest.getJsonObject("config").getString("nameserver")).isEqualTo("10.77.0.1");

    assertThat(
            http.call("POST", "api/requests/" + id + "/guest/stop", "alice", "alice", null)
                .statusCode())
        .isEqualTo(404);
    assertThat(
            http.call("POST", "api/requests/" + id + "/guest/stop", "bob", "bob", null)
                .statusCode())
        .isEqualTo(202);
    await(
        "the container to stop",
        () -> "stopped".equals(SIM.guest(vmid).orElseThrow().getString("status")));
    assertThat(
            Http.json(http.get("api/requests/" + id + "/guest", "bob", "bob")).getString("power"))
        .isEqualTo("stopped");
    assertThat(
            http.call("POST", "api/requests/" + id + "/guest/start", "bob", "bob", null)
                .statusCode())
        .isEqualTo(202);
    await(
        "the container to run",
        () -> "running".equals(SIM.guest(vmid).orElseThrow().getString("status")));

    // Snapshots through the API: the name's rule, the template's limit, one name once.
    String snapshots = "api/requests/" + id + "/guest/snapshots";
    HttpResponse<String> badName =
        http.call("POST", snapshots, "bob", "bob", "{\"name\":\"9 lives\"}");
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(badName.body()).contains("\"name\"").contains("must be 2 to 40 characters");
    assertThat(http.call("POST", snapshots, "alice", "alice", "{\"name\":\"mine\"}").statusCode())
        .isEqualTo(404);
    for (String name : List.of("one", "two", "three")) {
      HttpResponse<String> taken =
          http.call("POST", snapshots, "bob", "bob", "{\"name\":\"" + name + "\"}");
      assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
      assertThat(Http.json(taken).getString("message"))
          .isEqualTo("snapshot " + name + " is being taken");
      await(
          "snapshot " + name,
          () -> {
            JsonObject listed = Http.json(http.get(snapshots, "bob", "bob"));
            return !listed.getBoolean("pending")
                && listed.getJsonArray("snapshots").stream()
                    .anyMatch(o -> o.asJsonObject().getString("name").equals(name));
          });
    }
    JsonObject three = Http.json(http.get(snapshots, "bob", "bob"));
    assertThat(three.getInt("limit")).isEqualTo(3);
    HttpResponse<String> again = http.call("POST", snapshots, "bob", "bob", "{\"name\":\"one\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("has a snapshot one already");
    HttpResponse<String> full = http.call("POST", snapshots, "bob", "bob", "{\"name\":\"four\"}");
    assertThat(full.statusCode()).isEqualTo(409);
    assertThat(full.body()).contains("as many as its template allows");
    HttpResponse<String> unknown =
        http.call("POST", snapshots + "/nope/rollback", "bob", "bob", null);
    assertThat(unknown.statusCode()).isEqualTo(409);
    assertThat(unknown.body()).contains("has no snapshot nope");
    assertThat(http.call("DELETE", snapshots + "/two", "bob", "bob", null).statusCode())
        .isEqualTo(202);
    await(
        "snapshot two to go",
        () -> Http.json(http.get(snapshots, "bob", "bob")).getJsonArray("snapshots").size() == 2);

    // Deleting the guest takes its snapshots with it.
    delete("bob", id);
    assertThat(SIM.guest(vmid)).isEmpty();
  }

  @Test
  void transientErrorsAreRetriedUntilTheGuestIsReady() {
    SIM.fault("http500", "POST", "/lxc$", 2, "got lock timeout - aborting command");
    long id = submit("bob", "container", "prov-500", "debian-12-ct", nat()).getInt("id");
    awaitState("bob", id, "READY");
    JsonObject detail = Http.json(http.get("api/requests/" + id + "/guest", "bob", "bob"));
    assertThat(steps(detail, "retry")).hasSize(2);
    assertThat(SIM.guestsOf(id)).hasSize(1);
    delete("bob", id);
  }

  @Test
  void aClusterThatStaysUnavailableFailsTheRequestWithAReasonAndARetryLaterSucceeds() {
    SIM.fault("http503", "POST", "/lxc$", 50, null);
    long id = submit("bob", "container", "prov-503", "debian-12-ct", nat()).getInt("id");
    JsonObject failed = awaitState("bob", id, "FAILED");
    assertThat(failed.getString("reason"))
        .contains("POST /nodes/")
        .contains("503")
        .endsWith("(gave up after 5 attempts)");
    assertThat(SIM.guestsOf(id)).isEmpty();

    SIM.clearFaults();
    HttpResponse<String> retried =
        http.call("POST", "api/requests/" + id + "/retry", "bob", "bob", null);
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    awaitState("bob", id, "READY");
    assertThat(SIM.guestsOf(id)).hasSize(1);
    delete("bob", id);
  }

  @Test
  void aCallThatTimesOutIsTriedAgain() {
    SIM.fault("timeout", "PUT", "/qemu/\\d+/config$", 1, null, 5);
    long id = submit("alice", "vm", "prov-timeout", "debian-12", nat()).getInt("id");
    awaitState("alice", id, "READY");
    JsonObject detail = Http.json(http.get("api/requests/" + id + "/guest", "alice", "alice"));
    assertThat(steps(detail, "retry")).containsExactly("Configure");
    assertThat(details(detail, "retry")).anyMatch(d -> d.contains("did not answer within 3 s"));
    delete("alice", id);
  }

  @Test
  void aFailedTaskFailsTheRequestWithTheTasksExitStatusAndLeavesNoGuest() {
    SIM.fault("task-failure", "POST", "/clone$", 1, "clone failed: storage 'local-lvm' is full");
    long id = submit("alice", "vm", "prov-task", "debian-12", nat()).getInt("id");
    JsonObject failed = awaitState("alice", id, "FAILED");
    assertThat(failed.getString("reason"))
        .matches(
            "clone of template 9000 to VM \\d+ failed: clone failed: storage 'local-lvm' is full");
    assertThat(SIM.guestsOf(id)).isEmpty();
    delete("alice", id);
  }

  @Test
  void aVmidTakenOnTheClusterIsLeftToItsOwnerAndAnotherIsUsed() {
    // The check before creating stalls once; meanwhile someone else takes the VMID Berth recorded.
    SIM.fault("timeout", "GET", "/lxc/\\d+/status/current$", 1, null, 2);
    long id = submit("bob", "container", "prov-dup", "debian-12-ct", nat()).getInt("id");
    int[] taken = new int[1];
    await(
        "placement",
        () -> {
          JsonObject r = Http.json(http.get("api/requests/" + id, "bob", "bob"));
          if (r.isNull("guest")) {
            return false;
          }
          taken[0] = r.getJsonObject("guest").getInt("vmid");
          return true;
        });
    SIM.foreignGuest(taken[0], "sim1", "qemu", "not-berths");
    JsonObject ready = awaitState("bob", id, "READY");
    assertThat(ready.getJsonObject("guest").getInt("vmid")).isNotEqualTo(taken[0]);
    assertThat(SIM.guest(taken[0]).orElseThrow().getString("name")).isEqualTo("not-berths");
    assertThat(SIM.guestsOf(id)).hasSize(1);
    JsonObject detail = Http.json(http.get("api/requests/" + id + "/guest", "bob", "bob"));
    // Found before the create call, or refused by it: either way another VMID is used.
    assertThat(details(detail, "note"))
        .anyMatch(d -> d.startsWith("VMID " + taken[0] + " ") && d.contains("; using "));
    delete("bob", id);
  }

  @Test
  void nodesThatAreDownAreNotChosenAndWithNoNodeUpTheRequestFails() {
    SIM.nodeDown("sim1");
    SIM.nodeDown("sim2");
    long placed = submit("bob", "container", "prov-down1", "debian-12-ct", nat()).getInt("id");
    assertThat(awaitState("bob", placed, "READY").getJsonObject("guest").getString("node"))
        .isEqualTo("sim3");
    SIM.nodeDown("sim3");
    long none = submit("bob", "container", "prov-down2", "debian-12-ct", nat()).getInt("id");
    assertThat(awaitState("bob", none, "FAILED").getString("reason"))
        .startsWith(
            "no online node has 1024 MiB of memory free (sim1: offline, sim2: offline, sim3: offline)");
    SIM.nodeUp("sim3");
    delete("bob", placed);
    delete("bob", none);
  }

  @Test
  void aLostAnswerToACreateIsFollowedByAdoptingTheGuestNotByASecondOne() {
    SIM.fault("lost-response", "POST", "/lxc$", 1, null);
    long id = submit("bob", "container", "prov-lost", "debian-12-ct", nat()).getInt("id");
    awaitState("bob", id, "READY");
    assertThat(SIM.guestsOf(id)).hasSize(1);
    JsonObject detail = Http.json(http.get("api/requests/" + id + "/guest", "bob", "bob"));
    assertThat(details(detail, "note")).anyMatch(d -> d.contains("adopted it"));
    delete("bob", id);
  }

  @Test
  void reconciliationListsMissingAndUnknownGuestsAndAdminsActOnThem() {
    long id = submit("alice", "container", "prov-rec", "debian-12-ct", nat()).getInt("id");
    int vmid = awaitState("alice", id, "READY").getJsonObject("guest").getInt("vmid");
    // Someone deletes alice's guest on the cluster, and leaves a Berth-tagged guest behind.
    assertThat(SIM.send("DELETE", "simulator/guests/" + vmid, null).statusCode()).isEqualTo(204);
    assertThat(
            SIM.send(
                    "POST",
                    "simulator/guests",
                    "{\"vmid\":19990,\"node\":\"sim2\",\"type\":\"qemu\",\"name\":\"left-over\","
                        + "\"tags\":[\"berth\",\"berth-request-999999\"]}")
                .statusCode())
        .isIn(200, 201);
    SIM.foreignGuest(19991, "sim2", "qemu", "not-berths-either");

    assertThat(
            http.call("POST", "api/hypervisor/reconciliation", "alice", "alice", null).statusCode())
        .isEqualTo(403);
    JsonObject report =
        Http.json(http.call("POST", "api/hypervisor/reconciliation", "admin", "admin", null));
    List<JsonObject> findings = report.getJsonArray("findings").getValuesAs(JsonObject.class);
    JsonObject missing = only(findings, "missing", vmid);
    JsonObject unknown = only(findings, "unknown", 19990);
    assertThat(missing.getJsonNumber("request").longValue()).isEqualTo(id);
    assertThat(findings).noneMatch(f -> f.getInt("vmid", 0) == 19991);

    assertThat(
            http.call(
                    "POST",
                    "api/hypervisor/reconciliation/" + unknown.getInt("id") + "/delete-guest",
                    "admin",
                    "admin",
                    null)
                .statusCode())
        .isEqualTo(200);
    assertThat(SIM.guest(19990)).isEmpty();
    assertThat(SIM.guest(19991)).isPresent();
    assertThat(
            http.call(
                    "POST",
                    "api/hypervisor/reconciliation/" + missing.getInt("id") + "/delete-request",
                    "admin",
                    "admin",
                    null)
                .statusCode())
        .isEqualTo(200);
    awaitState("alice", id, "DELETED");

    JsonObject cluster = Http.json(http.get("api/hypervisor", "admin", "admin"));
    assertThat(cluster.getBoolean("simulated")).isTrue();
    assertThat(cluster.getString("description")).startsWith("Simulated Proxmox VE cluster");
    assertThat(cluster.getJsonArray("nodes").getValuesAs(JsonObject.class))
        .extracting(n -> n.getString("name"))
        .containsExactly("sim1", "sim2", "sim3");
  }

  private static JsonObject only(List<JsonObject> findings, String kind, int vmid) {
    List<JsonObject> matching =
        findings.stream()
            .filter(f -> f.getString("kind").equals(kind) && f.getInt("vmid", 0) == vmid)
            .toList();
    assertThat(matching).as(kind + " finding for VMID " + vmid + " in " + findings).hasSize(1);
    return matching.get(0);
  }

  private void delete(String user, long id) {
    HttpResponse<String> r = http.call("DELETE", "api/requests/" + id, user, user, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    awaitState(user, id, "DELETED");
    assertThat(SIM.guestsOf(id)).isEmpty();
  }

  private static List<String> steps(JsonObject detail, String outcome) {
    return detail.getJsonArray("log").getValuesAs(JsonObject.class).stream()
        .filter(l -> l.getString("outcome").equals(outcome))
        .map(l -> l.getString("step"))
        .toList();
  }

  private static List<String> details(JsonObject detail, String outcome) {
    return detail.getJsonArray("log").getValuesAs(JsonObject.class).stream()
        .filter(l -> l.getString("outcome").equals(outcome))
        .map(l -> l.getString("detail"))
        .toList();
  }

  private JsonObject submit(
      String user, String kind, String name, String template, String network) {
    String body =
        "{\"kind\":\""
            + kind
            + "\",\"name\":\""
            + name
            + "\",\"template\":\""
            + template
            + "\",\"cores\":1,\"memoryMiB\":1024,\"diskGiB\":10,\"network\":"
            + network
            + ",\"sshKeys\":[\""
            + KEY
            + "\"],\"leaseDays\":5,\"purpose\":\"provisioning tests\"}";
    HttpResponse<String> r = http.call("POST", "api/requests", user, user, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Http.json(r);
  }

  private JsonObject awaitState(String user, long id, String state) {
    return http.awaitRequest(user, id, state);
  }

  private static String ledger(String host) {
    return "{\"mode\":\"ledger\",\"host\":\"" + host + "\"}";
  }

  private static String nat() {
    return "{\"mode\":\"nat\"}";
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(60), condition::getAsBoolean, done -> done);
  }
}
