package org.berth.provisioning.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.berth.hypervisor.simulator.JournalEntry;
import org.berth.hypervisor.simulator.SimulatedGuest;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.testing.Await;
import org.berth.testing.Http;
import org.berth.testing.PayaraProcess;
import org.berth.testing.Standalone;
import org.berth.testing.TestDatabase;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Berth as separate processes on one PostgreSQL database, against a simulated Proxmox cluster in
 * this JVM that outlives them: two Berth instances share the work and run no job twice; a Berth
 * killed with SIGKILL in the middle of provisioning is taken over by the other instance, or resumed
 * by a new start, and leaves exactly one guest. The instances are handed from test to test, so the
 * class starts Payara three times.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Standalone
@Order(1)
class ProvisioningCrashIT {

  static final String SECRET = "c0ffee00-1111-4222-8333-444455556666";
  static final String KEY = TestKeys.ed25519("alice@laptop");

  SimulatedProxmox cluster;
  List<String> settings;
  Path data;
  final List<PayaraProcess> running = new ArrayList<>();

  /** The instances alive on the shared database, which the tests hand on to save starts. */
  final List<PayaraProcess> alive = new ArrayList<>();

  int starts;

  @BeforeAll
  void start() throws Exception {
    cluster =
        SimulatedProxmox.start(
            SimulatorSettings.defaults()
                .withToken("berth@pve!crash", SECRET)
                .withTaskDuration(Duration.ofSeconds(2)));
    data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "crash-data");
    settings = new ArrayList<>(TestDatabase.freshSettings());
    settings.addAll(
        List.of(
            "berth.data-dir=" + data,
            "berth.proxmox.url=" + cluster.url(),
            "berth.proxmox.token-id=berth@pve!crash",
            "berth.proxmox.token-secret=" + SECRET,
            "berth.jobs.polling-interval-seconds=1",
            "berth.jobs.heartbeat-seconds=1",
            "berth.provisioning.retry-seconds=0.5",
            "berth.jobs.threads=4",
            "berth.ledger.fetch-interval-seconds=3600"));
  }

  @AfterAll
  void stop() throws Exception {
    for (PayaraProcess p : running) {
      p.close();
    }
    cluster.stop();
  }

  /** Starts one more instance on the shared database and counts it alive. */
  PayaraProcess berth() throws Exception {
    String name = "crash-" + (++starts);
    List<String> all = new ArrayList<>(settings);
    all.add("berth.ledger.clone-dir=" + data.resolve("clone-" + name));
    PayaraProcess p = PayaraProcess.start(name, all);
    running.add(p);
    alive.add(p);
    Http http = new Http(p.base());
    http.awaitLedger(true);
    http.roomFor("alice");
    return p;
  }

  @Test
  @Order(1)
  void twoInstancesOnOneDatabaseShareTheWorkAndRunNoJobTwice() throws Exception {
    cluster.taskDuration(Duration.ofMillis(500));
    PayaraProcess a = berth();
    PayaraProcess b = berth();
    cluster.clearJournal();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(submitContainer(new Http(i % 2 == 0 ? a.base() : b.base()), "share-" + i));
    }
    Http http = new Http(a.base());
    for (long id : ids) {
      awaitReady(http, id);
    }
    for (long id : ids) {
      assertThat(guestsOf(id)).as("guests of request " + id).hasSize(1);
    }
    List<JournalEntry> calls = cluster.journal();
    assertThat(calls.stream().filter(c -> c.method().equals("POST") && c.path().endsWith("/lxc")))
        .as("container creations")
        .hasSize(20);
    assertThat(
            calls.stream()
                .filter(c -> c.method().equals("POST") && c.path().endsWith("/status/start")))
        .as("starts")
        .hasSize(20);
    Map<String, Long> byInstance =
        ids.stream()
            .flatMap(id -> log(http, id).stream())
            .filter(
                l ->
                    l.getString("step").equals("Create")
                        && l.getString("outcome").equals("started"))
            .collect(Collectors.groupingBy(l -> l.getString("instance"), Collectors.counting()));
    assertThat(byInstance.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
    assertThat(byInstance).as("creations per instance").hasSize(2);
  }

  /**
   * The instance provisioning a request is killed, first while the clone task runs (the other
   * instance takes the work over once the killed one's heartbeats stop), then right after the
   * configuration call with no other instance alive (a new start resumes it). Either way the
   * request ends READY with exactly one guest, cloned once. That a job cut off after any of its
   * hypervisor calls resumes this way is shown call by call, without processes, by {@code
   * ProvisioningComponentTest}.
   */
  @Test
  @Order(2)
  void aBerthKilledAtAnyStepOfProvisioningResumesAndLeavesExactlyOneGuest() throws Exception {
    cluster.taskDuration(Duration.ofSeconds(2));
    Map<String, BooleanSupplier> killPoints = new java.util.LinkedHashMap<>();
    killPoints.put("while the clone task runs", () -> locked("clone"));
    killPoints.put("right after the configuration call", () -> called("PUT", "/qemu/\\d+/config"));
    if (alive.isEmpty()) {
      berth();
    }
    int n = 0;
    for (var point : killPoints.entrySet()) {
      n++;
      cluster.clearJournal();
      long id = submit(new Http(alive.get(0).base()), "crash-" + n);
      await(point.getKey(), point.getValue());
      PayaraProcess runner = runnerOf(id);
      runner.kill();
      alive.remove(runner);
      if (alive.isEmpty()) {
        berth();
      }

      JsonObject ready = awaitReady(new Http(alive.get(0).base()), id);
      List<SimulatedGuest> guests = guestsOf(id);
      assertThat(guests).as("guests of request " + id + " killed " + point.getKey()).hasSize(1);
      assertThat(guests.get(0).status()).isEqualTo("running");
      assertThat(guests.get(0).vmid()).isEqualTo(ready.getJsonObject("guest").getInt("vmid"));
      assertThat(
              cluster.journal().stream()
                  .filter(c -> c.method().equals("POST") && c.path().endsWith("/clone"))
                  .count())
          .as("clone calls for request " + id + " killed " + point.getKey())
          .isEqualTo(1);
    }
  }

  /** The instance whose name is on the newest step of the request's provisioning log. */
  private PayaraProcess runnerOf(long id) throws Exception {
    List<JsonObject> log = log(new Http(alive.get(0).base()), id);
    String instance = log.get(log.size() - 1).getString("instance");
    for (PayaraProcess p : alive) {
      if (p.log().contains("Jobs started as instance " + instance + ":")) {
        return p;
      }
    }
    throw new AssertionError("no live instance is " + instance + "; log: " + log);
  }

  private static List<JsonObject> log(Http http, long id) {
    return Http.json(http.get("api/requests/" + id + "/guest", "alice", "alice"))
        .getJsonArray("log")
        .getValuesAs(JsonObject.class);
  }

  private boolean locked(String lock) {
    return cluster.guests().stream().anyMatch(g -> lock.equals(g.lock()));
  }

  private boolean called(String method, String pathPattern) {
    return cluster.journal().stream()
        .anyMatch(c -> c.method().equals(method) && c.path().matches(".*" + pathPattern + "$"));
  }

  private List<SimulatedGuest> guestsOf(long id) {
    return cluster.guests().stream().filter(g -> g.tags().contains("berth-request-" + id)).toList();
  }

  private static long submit(Http http, String name) {
    return submit(http, "vm", name, "debian-12");
  }

  private static long submitContainer(Http http, String name) {
    return submit(http, "container", name, "debian-12-ct");
  }

  private static long submit(Http http, String kind, String name, String template) {
    HttpResponse<String> r =
        http.call(
            "POST",
            "api/requests",
            "alice",
            "alice",
            "{\"kind\":\""
                + kind
                + "\",\"name\":\""
                + name
                + "\",\"template\":\""
                + template
                + "\",\"cores\":1,\"memoryMiB\":1024,\"diskGiB\":10,"
                + "\"network\":{\"mode\":\"nat\"},\"sshKeys\":[\""
                + KEY
                + "\"],\"leaseDays\":5,\"purpose\":\"crash tests\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Http.json(r).getInt("id");
  }

  private static JsonObject awaitReady(Http http, long id) {
    return Await.until(
        "request " + id + " to be READY",
        Duration.ofSeconds(120),
        () -> Http.json(http.get("api/requests/" + id, "alice", "alice")),
        r -> {
          if (r.getString("state").equals("FAILED")) {
            throw new AssertionError("request " + id + " failed: " + r);
          }
          return r.getString("state").equals("READY");
        });
  }

  /** Looks often: the test kills Berth as soon as provisioning reaches the point. */
  private static void await(String what, BooleanSupplier condition) {
    Await.until(
        "provisioning to reach: " + what,
        Duration.ofSeconds(60),
        Duration.ofMillis(20),
        condition::getAsBoolean,
        done -> done);
  }
}
