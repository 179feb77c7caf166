package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.berth.testing.GitCli.git;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.berth.testing.Await;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.berth.testing.ItDatabase;
import org.berth.testing.SimulatorControl;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests in the deployed application, through the REST API: claims and releases as commits on the
 * ledger remote, approval, the owner-only rule, quotas under concurrency, every kind of bad input,
 * leases kept by the job scheduler, and the mail that arrives at a real SMTP server.
 */
class RequestIT {

  static final Path DATA = Path.of("target", "it-data").toAbsolutePath();
  static final Path REMOTE = DATA.resolve("ledger.git");
  static final String KEY = TestKeys.ed25519("alice@laptop");
  static final SimulatorControl SIMULATOR =
      new SimulatorControl(
          java.net.URI.create("http://127.0.0.1:" + DemoBerth.SIMULATOR_PORT + "/"));
  static GreenMail smtp;

  Http http;

  @BeforeAll
  static void startSmtp() {
    smtp =
        new GreenMail(new ServerSetup(DemoBerth.SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
  }

  @AfterAll
  static void stopSmtp() {
    smtp.stop();
  }

  @BeforeEach
  void ready() {
    http = DemoBerth.http();
    http.awaitLedger(true);
    // Mail goes to people Berth has seen: make sure all three have signed in once.
    for (String user : List.of("alice", "bob", "admin")) {
      http.get("api/me", user, user);
    }
    // Alice files many requests here; the quota tests use bob.
    http.roomFor("alice");
  }

  @Test
  void submittingHoldsTheEntryWithACommitByTheRequester() {
    HttpResponse<String> created = submit("alice", "web-claim", ledger("pvm050.example.com"));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject r = Http.json(created);
    assertThat(r.getString("state")).isEqualTo("SUBMITTED");
    assertThat(r.getString("owner")).isEqualTo("alice");
    assertThat(r.getJsonObject("address").getString("ipv4")).isEqualTo("192.0.2.59");
    assertThat(r.getJsonObject("address").getString("mac")).isEqualTo("52:54:00:be:00:31");
    String commit = r.getJsonObject("address").getString("claimCommit");
    assertThat(git(REMOTE, "log", "-1", "--format=%an <%ae>|%cn|%B", commit))
        .startsWith("Alice Example <alice@example.com>|Berth|Claim pvm050.example.com for alice")
        .contains("Berth-Request: request " + r.getInt("id"));
    assertThat(holder("pvm050.example.com")).isEqualTo("alice");
    assertThat(r.getJsonArray("audit").getJsonObject(0).getString("to")).isEqualTo("SUBMITTED");
  }

  @Test
  void rejectingReleasesTheEntryWithAReleaseCommitAndTellsTheRequester() {
    JsonObject r = Http.json(submit("alice", "web-reject", ledger("pvm051.example.com")));
    String id = String.valueOf(r.getInt("id"));
    awaitMail("admin@example.com", "[Berth] alice asks for a VM web-reject");

    HttpResponse<String> noReason =
        http.call("POST", "api/requests/" + id + "/reject", "admin", "admin", "{}");
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(Http.json(noReason).getJsonObject("fields").getString("reason"))
        .isEqualTo("must say why the request is rejected");

    HttpResponse<String> rejected =
        http.call(
            "POST",
            "api/requests/" + id + "/reject",
            "admin",
            "admin",
            "{\"reason\":\"Use a container for this\"}");

    assertThat(rejected.statusCode()).isEqualTo(200);
    assertThat(Http.json(rejected).getString("state")).isEqualTo("REJECTED");
    await("the release commit", () -> "free".equals(state("pvm051.example.com")));
    assertThat(git(REMOTE, "log", "-1", "--format=%an|%B", "main", "--", "addresses.yaml"))
        .isNotBlank();
    assertThat(git(REMOTE, "log", "--format=%an|%s", "-5", "main"))
        .contains("Ada Admin|Release pvm051.example.com from alice");
    await(
        "the release is recorded",
        () ->
            !Http.json(get("alice", "api/requests/" + id))
                .getJsonObject("address")
                .isNull("releaseCommit"));
    MimeMessage mail = awaitMail("alice@example.com", "[Berth] web-reject is rejected");
    assertThat(body(mail))
        .contains(
            "Reason: Use a container for this", "The ledger entry pvm051.example.com is released.");
    JsonObject audit = Http.json(get("admin", "api/requests/" + id));
    assertThat(audit.getJsonArray("audit").getValuesAs(JsonObject.class))
        .extracting(
            e ->
                e.getString("actor")
                    + ":"
                    + e.getString("from", "-")
                    + ">"
                    + e.getString("to")
                    + ":"
                    + e.getString("reason", "-"))
        .containsExactly(
            "alice:->SUBMITTED:-", "admin:SUBMITTED>REJECTED:Use a container for this");
  }

  @Test
  void cancellingReleasesTheEntry() {
    JsonObject r = Http.json(submit("alice", "web-cancel", ledger("pvm052.example.com")));

    HttpResponse<String> cancelled =
        http.call("DELETE", "api/requests/" + r.getInt("id"), "alice", "alice", null);

    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(Http.json(cancelled).getString("state")).isEqualTo("CANCELLED");
    await("the release commit", () -> "free".equals(state("pvm052.example.com")));
    assertThat(git(REMOTE, "log", "--format=%an|%s", "-5", "main"))
        .contains("Alice Example|Release pvm052.example.com from alice");
    // The name is free again once the request is over.
    assertThat(submit("alice", "web-cancel", ledger("pvm052.example.com")).statusCode())
        .isEqualTo(201);
  }

  @Test
  void anAdminCannotReleaseOrRetireAnEntryARequestHolds() {
    JsonObject r = Http.json(submit("alice", "web-held", ledger("pvm046.example.com")));
    String head = git(REMOTE, "rev-parse", "main").strip();

    for (String[] call :
        new String[][] {
          {"POST", "api/ledger/entries/pvm046.example.com/release", "{}"},
          {"DELETE", "api/ledger/entries/pvm046.example.com", null}
        }) {
      HttpResponse<String> refused = http.call(call[0], call[1], "admin", "admin", call[2]);
      assertThat(refused.statusCode()).as(call[1]).isEqualTo(409);
      assertThat(Http.json(refused).getString("error")).isEqualTo("entry_in_use");
      assertThat(Http.json(refused).getString("message"))
          .contains("request " + r.getInt("id"))
          .contains("delete that request's guest");
    }
    assertThat(git(REMOTE, "rev-parse", "main").strip()).isEqualTo(head);
    assertThat(state("pvm046.example.com")).isEqualTo("taken");

    // Once the request lets go, the admin may retire the entry.
    http.call("DELETE", "api/requests/" + r.getInt("id"), "alice", "alice", null);
    await("the release commit", () -> "free".equals(state("pvm046.example.com")));
    assertThat(
            http.call("DELETE", "api/ledger/entries/pvm046.example.com", "admin", "admin", null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void adminApprovesAndTheRequesterIsTold() {
    String id =
        String.valueOf(
            Http.json(submit("alice", "web-approve", ledger("pvm053.example.com"))).getInt("id"));

    HttpResponse<String> approved =
        http.call("POST", "api/requests/" + id + "/approve", "admin", "admin", null);

    assertThat(approved.statusCode()).isEqualTo(200);
    JsonObject r = Http.json(approved);
    assertThat(r.getString("state")).isEqualTo("APPROVED");
    assertThat(Instant.parse(r.getString("leaseEnds")))
        .isBetween(
            Instant.now().plus(Duration.ofDays(10)).minusSeconds(120),
            Instant.now().plus(Duration.ofDays(10)).plusSeconds(120));
    MimeMessage mail = awaitMail("alice@example.com", "[Berth] web-approve is approved");
    assertThat(body(mail)).contains("pvm053.example.com (192.0.2.62)", "Lease ends:");
    HttpResponse<String> again =
        http.call("POST", "api/requests/" + id + "/approve", "admin", "admin", null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(Http.json(again).getString("error")).isEqualTo("illegal_transition");
  }

  @Test
  void smallRequestsWithinQuotaAreApprovedByPolicy() {
    HttpResponse<String> created =
        http.call(
            "POST",
            "api/requests",
            "bob",
            "bob",
            json(
                "container",
                "ct-small",
                "alpine-3.20-ct",
                "\"cores\":1,\"memoryMiB\":256,\"diskGiB\":2,",
                "{\"mode\":\"nat\",\"httpPort\":8080}",
                3));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject r = Http.json(created);
    assertThat(r.getString("state")).isEqualTo("APPROVED");
    assertThat(r.getJsonObject("network").getInt("httpPort")).isEqualTo(8080);
    assertThat(r.getJsonArray("audit").getJsonObject(1).getString("actor")).isEqualTo("berth");
    http.call("DELETE", "api/requests/" + r.getInt("id"), "bob", "bob", null);
  }

  @Test
  void onlyTheOwnerAndAdminsSeeOrActOnARequest() {
    String id =
        String.valueOf(
            Http.json(submit("alice", "web-owner", ledger("pvm054.example.com"))).getInt("id"));
    String path = "api/requests/" + id;

    assertThat(get("alice", path).statusCode()).isEqualTo(200);
    assertThat(get("admin", path).statusCode()).isEqualTo(200);
    HttpResponse<String> bobReads = get("bob", path);
    assertThat(bobReads.statusCode()).isEqualTo(404);
    assertThat(Http.json(bobReads).getString("message")).isEqualTo("There is no request " + id);
    assertThat(http.call("DELETE", path, "bob", "bob", null).statusCode()).isEqualTo(404);
    assertThat(http.call("POST", path + "/extend", "bob", "bob", "{\"days\":1}").statusCode())
        .isEqualTo(404);
    assertThat(get("bob", "api/requests?limit=1000").body()).doesNotContain("web-owner");
    assertThat(get("alice", "api/requests?limit=1000").body()).contains("web-owner");
    for (String user : List.of("alice", "bob")) {
      assertThat(http.call("POST", path + "/approve", user, user, null).statusCode())
          .isEqualTo(403);
      assertThat(http.call("POST", path + "/reject", user, user, "{\"reason\":\"x\"}").statusCode())
          .isEqualTo(403);
    }
    assertThat(Http.json(get("alice", path)).getString("state")).isEqualTo("SUBMITTED");
    assertThat(get("alice", "api/requests/99999999").statusCode()).isEqualTo(404);
    assertThat(get("alice", "api/requests/abc").statusCode()).isEqualTo(404);
    assertThat(http.get(path).statusCode()).isEqualTo(401);
  }

  @Test
  void refusesBadInputNamingTheFieldAndStoresAndClaimsNothing() {
    String head = git(REMOTE, "rev-parse", "main").strip();
    long before = Http.json(get("alice", "api/requests?limit=1")).getInt("total");
    String free = "pvm055.example.com";
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    for (String name :
        List.of("web 1", "web.example", "Web-1", "a".repeat(64), "wéb", "a;b", "a{b}")) {
      cases.put(json("vm", name, "debian-12", "", ledger(free), 5), "name");
    }
    cases.put(withKeys("command=\\\"/bin/sh\\\" " + KEY), "sshKeys[0]");
    cases.put(withKeys("ssh-ed25519 " + KEY.split(" ")[1].substring(0, 30)), "sshKeys[0]");
    cases.put(withKeys("ssh-foo AAAAB3NzaC1yc2E="), "sshKeys[0]");
    cases.put(withKeys(KEY + " " + TestKeys.ed25519("second")), "sshKeys[0]");
    cases.put(withSizes("\"cores\":-1,"), "cores");
    cases.put(withSizes("\"cores\":0,"), "cores");
    cases.put(withSizes("\"memoryMiB\":99999999999999999999999,"), "memoryMiB");
    cases.put(withSizes("\"diskGiB\":201,"), "diskGiB");
    cases.put(withSizes("\"cores\":9,"), "cores");
    cases.put(withSizes("\"cores\":1.5,"), "cores");
    cases.put(json("vm", "web-bad", "debian-12", "", ledger(free), 91), "leaseDays");
    cases.put(json("vm", "web-bad", "nope", "", ledger(free), 5), "template");
    cases.put(
        json("vm", "web-bad", "debian-12", "", ledger("nosuch.example.com"), 5), "network.host");
    cases.put(json("vm", "web-bad", "debian-12", "", "{\"mode\":\"wifi\"}", 5), "network.mode");

    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> refused =
          http.call("POST", "api/requests", "alice", "alice", c.getKey());
      assertThat(refused.statusCode()).as(c.getKey()).isEqualTo(400);
      JsonObject error = Http.json(refused);
      assertThat(error.getString("error")).isEqualTo("invalid_input");
      assertThat(error.getJsonObject("fields").keySet()).as(c.getKey()).contains(c.getValue());
      assertThat(error.getString("message")).contains(c.getValue() + ": ");
    }
    HttpResponse<String> taken = submit("alice", "web-taken", ledger("pvm003.example.com"));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(Http.json(taken).getString("error")).isEqualTo("address_taken");
    assertThat(Http.json(taken).getString("message"))
        .startsWith("network.host: pvm003.example.com is taken by lars");
    assertThat(Http.json(taken).getJsonObject("fields").getString("network.host"))
        .startsWith("pvm003.example.com is taken by lars");

    assertThat(git(REMOTE, "rev-parse", "main").strip()).isEqualTo(head);
    assertThat(Http.json(get("alice", "api/requests?limit=1")).getInt("total")).isEqualTo(before);
    assertThat(state(free)).isEqualTo("free");
  }

  @Test
  void aRetiredEntryIsRefusedClearly() {
    HttpResponse<String> retired =
        http.call("DELETE", "api/ledger/entries/pvm059.example.com", "admin", "admin", null);
    assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);

    HttpResponse<String> refused = submit("alice", "web-retired", ledger("pvm059.example.com"));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(Http.json(refused).getJsonObject("fields").getString("network.host"))
        .isEqualTo("pvm059.example.com was retired from the ledger; choose a free entry");
  }

  @Test
  void twoSubmissionsAtTheQuotaLimitCannotBothPass() throws Exception {
    // Room for exactly one more guest, whatever bob still has from other tests of the run.
    JsonObject used = Http.json(http.get("api/quotas/bob", "admin", "admin")).getJsonObject("used");
    int guests = used.getInt("guests");
    assertThat(
            http.call(
                    "PUT",
                    "api/quotas/bob",
                    "admin",
                    "admin",
                    "{\"guests\":"
                        + (guests + 1)
                        + ",\"cores\":"
                        + (used.getInt("cores") + 4)
                        + ",\"memoryMiB\":"
                        + (used.getInt("memoryMiB") + 4096)
                        + ",\"diskGiB\":"
                        + (used.getInt("diskGiB") + 50)
                        + "}")
                .statusCode())
        .isEqualTo(200);
    try {
      List<Callable<HttpResponse<String>>> racers = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int i = 0; i < 6; i++) {
        String body = json("container", "race-" + i, "alpine-3.20-ct", "", "{\"mode\":\"nat\"}", 3);
        racers.add(
            () -> {
              start.await();
              return http.call("POST", "api/requests", "bob", "bob", body);
            });
      }
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<HttpResponse<String>>> results = new ArrayList<>();
      for (Callable<HttpResponse<String>> r : racers) {
        results.add(pool.submit(r));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      List<String> codes = new ArrayList<>();
      for (Future<HttpResponse<String>> f : results) {
        HttpResponse<String> response = f.get();
        statuses.add(response.statusCode());
        codes.add(Http.json(response).getString(response.statusCode() == 201 ? "state" : "error"));
      }
      pool.shutdown();

      assertThat(statuses).as(codes.toString()).containsOnlyOnce(201);
      assertThat(codes.stream().filter("quota_exceeded"::equals)).hasSize(5);
      JsonObject quota = Http.json(get("bob", "api/quotas/bob"));
      assertThat(quota.getJsonObject("used").getInt("guests")).isEqualTo(guests + 1);
    } finally {
      for (JsonObject r :
          Http.json(get("bob", "api/requests?q=race-&state=APPROVED,SUBMITTED"))
              .getJsonArray("requests")
              .getValuesAs(JsonObject.class)) {
        http.call("DELETE", "api/requests/" + r.getInt("id"), "bob", "bob", null);
      }
      http.call("DELETE", "api/quotas/bob", "admin", "admin", null);
    }
  }

  @Test
  void twoPeopleAskingForOneEntryAtOnceGetItOnceAndNamesStayUnique() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> results = new ArrayList<>();
    for (String user : List.of("alice", "bob")) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return http.call(
                    "POST",
                    "api/requests",
                    user,
                    user,
                    json(
                        "vm",
                        "web-both-" + user,
                        "debian-12",
                        "",
                        ledger("pvm058.example.com"),
                        10));
              }));
    }
    start.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (Future<HttpResponse<String>> f : results) {
      statuses.add(f.get().statusCode());
    }
    pool.shutdown();

    assertThat(statuses).containsExactlyInAnyOrder(201, 409);
    assertThat(
            git(REMOTE, "log", "--format=%s", "main")
                .lines()
                .filter(s -> s.startsWith("Claim pvm058.example.com")))
        .hasSize(1);

    HttpResponse<String> sameName =
        submit(
            "bob",
            statuses.get(0) == 201 ? "web-both-alice" : "web-both-bob",
            "{\"mode\":\"nat\"}");
    assertThat(sameName.statusCode()).isEqualTo(409);
    assertThat(Http.json(sameName).getString("error")).isEqualTo("name_taken");
    assertThat(Http.json(sameName).getJsonObject("fields").getString("name"))
        .endsWith("is already used by another guest; choose another name");
  }

  @Test
  void twoAdminsApprovingAtOnceCannotBothWin() throws Exception {
    String id =
        String.valueOf(
            Http.json(submit("alice", "web-race", ledger("pvm056.example.com"))).getInt("id"));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return http.call("POST", "api/requests/" + id + "/approve", "admin", "admin", null)
                    .statusCode();
              }));
    }
    start.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> f : results) {
      statuses.add(f.get());
    }
    pool.shutdown();

    assertThat(statuses).containsExactlyInAnyOrder(200, 409);
    // One approval in the audit trail (provisioning may already have added its own events).
    assertThat(
            Http.json(get("admin", "api/requests/" + id))
                .getJsonArray("audit")
                .getValuesAs(JsonObject.class))
        .filteredOn(e -> e.getString("to").equals("APPROVED"))
        .hasSize(1);
  }

  @Test
  void leasesWarnExpireAndEndInDeletionWithTheEntryReleased() throws Exception {
    JsonObject r = Http.json(submit("alice", "web-lease", ledger("pvm057.example.com")));
    String id = String.valueOf(r.getInt("id"));
    http.call("POST", "api/requests/" + id + "/approve", "admin", "admin", null);
    await(
        "the guest",
        () -> "READY".equals(Http.json(get("alice", "api/requests/" + id)).getString("state")));
    int vmid = Http.json(get("alice", "api/requests/" + id)).getJsonObject("guest").getInt("vmid");
    assertThat(SIMULATOR.guest(vmid).orElseThrow().getString("status")).isEqualTo("running");
    assertThat(body(awaitMail("alice@example.com", "[Berth] web-lease is ready")))
        .contains("pvm057.example.com");

    // Three days before the end: the 3-day warning comes, and only it.
    moveLeaseEnd(id, Duration.ofDays(3).minusMinutes(1));
    MimeMessage warning =
        awaitMail("alice@example.com", "[Berth] The lease of web-lease ends in 3 days");
    assertThat(body(warning))
        .contains("Extend the lease", "http://berth.test/requests/view.xhtml?id=" + id);

    HttpResponse<String> tooLong =
        http.call("POST", "api/requests/" + id + "/extend", "alice", "alice", "{\"days\":120}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(Http.json(tooLong).getString("message"))
        .startsWith("days: the lease may end at most 90 days from now");
    HttpResponse<String> extended =
        http.call("POST", "api/requests/" + id + "/extend", "alice", "alice", "{\"days\":5}");
    assertThat(extended.statusCode()).isEqualTo(200);

    // The lease has ended: expired, and the owner is told when the guest goes.
    moveLeaseEnd(id, Duration.ofSeconds(-1));
    await(
        "expiry",
        () -> "EXPIRED".equals(Http.json(get("alice", "api/requests/" + id)).getString("state")));
    awaitMail("alice@example.com", "[Berth] The lease of web-lease has ended");
    await(
        "the guest to be shut down",
        () -> "stopped".equals(SIMULATOR.guest(vmid).orElseThrow().getString("status")));

    // The grace period is over: deleted, and the entry goes back to the ledger.
    moveLeaseEnd(id, Duration.ofDays(-8));
    await(
        "deletion",
        () -> "DELETED".equals(Http.json(get("alice", "api/requests/" + id)).getString("state")));
    await("the release commit", () -> "free".equals(state("pvm057.example.com")));
    assertThat(SIMULATOR.guest(vmid)).isEmpty();
    awaitMail("alice@example.com", "[Berth] web-lease is deleted");
    assertThat(
            Http.json(get("alice", "api/requests/" + id))
                .getJsonArray("audit")
                .getValuesAs(JsonObject.class))
        .extracting(e -> e.getString("to"))
        .containsExactly(
            "SUBMITTED",
            "APPROVED",
            "PROVISIONING",
            "READY",
            "READY",
            "EXPIRED",
            "DELETING",
            "DELETED");
  }

  /** Sets the lease's end {@code fromNow} away and wakes its job, as if that much time passed. */
  private static void moveLeaseEnd(String id, Duration fromNow) throws Exception {
    try (Connection c = ItDatabase.connect(DATA)) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE guest_request SET lease_ends = now() + make_interval(secs => ?)"
                  + " WHERE id = ?")) {
        s.setDouble(1, fromNow.toSeconds());
        s.setLong(2, Long.parseLong(id));
        assertThat(s.executeUpdate()).isEqualTo(1);
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE scheduled_tasks SET execution_time = now()"
                  + " WHERE task_name = 'lease' AND task_instance = ?")) {
        s.setString(1, id);
        assertThat(s.executeUpdate()).as("the lease job of request " + id).isEqualTo(1);
      }
    }
  }

  private HttpResponse<String> submit(String user, String name, String network) {
    return http.call(
        "POST", "api/requests", user, user, json("vm", name, "debian-12", "", network, 10));
  }

  private static String json(
      String kind, String name, String template, String sizes, String network, int leaseDays) {
    return "{\"kind\":\""
        + kind
        + "\",\"name\":\""
        + name
        + "\",\"template\":\""
        + template
        + "\","
        + sizes
        + "\"network\":"
        + network
        + ",\"sshKeys\":[\""
        + KEY
        + "\"],"
        + "\"leaseDays\":"
        + leaseDays
        + ",\"purpose\":\"integration tests\"}";
  }

  private static String withKeys(String key) {
    return "{\"kind\":\"vm\",\"name\":\"web-keys\",\"template\":\"debian-12\",\"network\":"
        + ledger("pvm055.example.com")
        + ",\"sshKeys\":[\""
        + key
        + "\"],\"purpose\":\"x\"}";
  }

  private static String withSizes(String sizes) {
    return json("vm", "web-size", "debian-12", sizes, ledger("pvm055.example.com"), 5);
  }

  private static String ledger(String host) {
    return "{\"mode\":\"ledger\",\"host\":\"" + host + "\"}";
  }

  private HttpResponse<String> get(String user, String path) {
    return http.get(path, user, user);
  }

  private String holder(String host) {
    return Http.json(get("alice", "api/ledger/entries/" + host)).getString("holder", null);
  }

  private String state(String host) {
    return Http.json(get("alice", "api/ledger/entries/" + host)).getString("state");
  }

  private static MimeMessage awaitMail(String to, String subject) {
    try {
      return Await.until(
              "mail '" + subject + "' to " + to,
              Duration.ofSeconds(30),
              () ->
                  Stream.of(smtp.getReceivedMessages())
                      .filter(m -> subject.equals(subject(m)) && addressedTo(m, to))
                      .findFirst(),
              java.util.Optional::isPresent)
          .orElseThrow();
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; received: "
              + Stream.of(smtp.getReceivedMessages())
                  .map(RequestIT::subject)
                  .collect(Collectors.joining(" | ")),
          e);
    }
  }

  private static boolean addressedTo(MimeMessage m, String to) {
    try {
      return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(to));
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      return "?";
    }
  }

  private static String body(MimeMessage m) {
    try {
      return String.valueOf(m.getContent());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(30), condition::getAsBoolean, done -> done);
  }
}
