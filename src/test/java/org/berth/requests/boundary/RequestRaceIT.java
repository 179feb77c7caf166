package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many people (or one impatient client) acting on one request at the same moment, through the
 * deployed API: every answer is a success or a 409 in the API's error shape, never a 500, and the
 * request ends in one state with one audit event per change that succeeded. Free text that would
 * put lines of its own into mail is refused and stores nothing.
 */
class RequestRaceIT {

  static final String KEY = TestKeys.ed25519("alice@laptop");

  Http http;

  @BeforeEach
  void ready() {
    http = DemoBerth.readyFor().seenOnce("alice", "admin");
    http.roomFor("alice");
  }

  @Test
  void thirtyDeletesAtOnceDeleteTheGuestOnce() throws Exception {
    long id = readyGuest("race-delete");

    List<HttpResponse<String>> answers =
        atOnce(30, i -> http.call("DELETE", "api/requests/" + id, "alice", "alice", null));

    assertOnlySuccessOrConflict(answers);
    assertThat(answers).anyMatch(r -> r.statusCode() == 200);
    JsonObject r = http.awaitRequest("alice", id, "DELETED");
    assertThat(moves(r, "DELETING")).hasSize(1);
    assertThat(moves(r, "DELETED")).hasSize(1);
  }

  @Test
  void twentyApprovalsAtOnceApproveOnce() throws Exception {
    // Two cores is above the auto-approve limit: the request waits for an admin.
    long id = submit("race-approve", 2, 5).getJsonNumber("id").longValue();
    assertThat(state(id)).isEqualTo("SUBMITTED");

    List<HttpResponse<String>> answers =
        atOnce(
            20, i -> http.call("POST", "api/requests/" + id + "/approve", "admin", "admin", null));

    assertOnlySuccessOrConflict(answers);
    assertThat(answers).filteredOn(a -> a.statusCode() == 200).hasSize(1);
    JsonObject r = Http.json(http.get("api/requests/" + id, "alice", "alice"));
    assertThat(moves(r, "APPROVED")).hasSize(1);
    http.awaitRequest("alice", id, "READY");
    http.deleteRequest("alice", id);
  }

  @Test
  void twentyExtensionsAtOnceEachCountOnce() throws Exception {
    long id = readyGuest("race-extend");
    Instant before = Instant.parse(request(id).getString("leaseEnds"));

    List<HttpResponse<String>> answers =
        atOnce(
            20,
            i ->
                http.call(
                    "POST", "api/requests/" + id + "/extend", "alice", "alice", "{\"days\":1}"));

    assertOnlySuccessOrConflict(answers);
    long extended = answers.stream().filter(a -> a.statusCode() == 200).count();
    assertThat(extended).isPositive();
    JsonObject r = request(id);
    assertThat(r.getString("state")).isEqualTo("READY");
    List<JsonObject> extensions =
        r.getJsonArray("audit").getValuesAs(JsonObject.class).stream()
            .filter(e -> e.getString("reason", "").startsWith("lease extended"))
            .toList();
    assertThat(extensions).hasSize((int) extended);
    assertThat(Instant.parse(r.getString("leaseEnds")))
        .isEqualTo(before.plus(Duration.ofDays(extended)));
    http.deleteRequest("alice", id);
  }

  @Test
  void twentyPowerActionsAtOnceLeaveTheGuestReady() throws Exception {
    long id = readyGuest("race-power");
    String[] actions = {"start", "stop", "reboot"};

    List<HttpResponse<String>> answers =
        atOnce(
            20,
            i ->
                http.call(
                    "POST",
                    "api/requests/" + id + "/guest/" + actions[i % actions.length],
                    "alice",
                    "alice",
                    null));

    assertOnlySuccessOrConflict(answers);
    assertThat(answers).anyMatch(a -> a.statusCode() / 100 == 2);
    JsonObject r = request(id);
    assertThat(r.getString("state")).isEqualTo("READY");
    // A power action never moves the request.
    assertThat(r.getJsonArray("audit").getValuesAs(JsonObject.class))
        .extracting(e -> e.getString("to"))
        .containsExactly("SUBMITTED", "APPROVED", "PROVISIONING", "READY");
    http.deleteRequest("alice", id);
  }

  @Test
  void aMultiLinePurposeIsRefusedAndStoresNothing() {
    long before = total("alice");
    HttpResponse<String> refused =
        http.call(
            "POST",
            "api/requests",
            "alice",
            "alice",
            body("race-purpose", 1, 3, "x\\nApproved-By: admin\\n\\nClick http://evil"));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    JsonObject error = Http.json(refused);
    assertThat(error.getString("error")).isEqualTo("invalid_input");
    assertThat(error.getJsonObject("fields").getString("purpose"))
        .isEqualTo("must be one line without control characters");
    assertThat(total("alice")).isEqualTo(before);
    assertThat(http.get("api/requests?limit=1000", "alice", "alice").body())
        .doesNotContain("race-purpose");
  }

  @Test
  void aMultiLineReasonIsRefusedAndChangesNothing() {
    long waiting = submit("race-reason", 2, 5).getJsonNumber("id").longValue();

    HttpResponse<String> reject =
        http.call(
            "POST",
            "api/requests/" + waiting + "/reject",
            "admin",
            "admin",
            "{\"reason\":\"no\\r\\nApproved-By: admin\"}");
    HttpResponse<String> withdraw =
        http.call(
            "DELETE",
            "api/requests/" + waiting + "?reason=done%0AApproved-By:%20admin",
            "alice",
            "alice",
            null);

    for (HttpResponse<String> refused : List.of(reject, withdraw)) {
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(Http.json(refused).getJsonObject("fields").getString("reason"))
          .isEqualTo("must be one line without control characters");
    }
    JsonObject r = request(waiting);
    assertThat(r.getString("state")).isEqualTo("SUBMITTED");
    assertThat(r.getJsonArray("audit")).hasSize(1);
    assertThat(
            http.call(
                    "POST",
                    "api/requests/" + waiting + "/reject",
                    "admin",
                    "admin",
                    "{\"reason\":\"Use a container for this\"}")
                .statusCode())
        .isEqualTo(200);
  }

  /** Sends {@code n} calls at the same moment, each from its own thread; returns the answers. */
  private static List<HttpResponse<String>> atOnce(int n, IntFunction<HttpResponse<String>> call)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> pending = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        pending.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.apply(index);
                }));
      }
      start.countDown();
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> f : pending) {
        answers.add(f.get());
      }
      return answers;
    } finally {
      pool.shutdown();
    }
  }

  private static void assertOnlySuccessOrConflict(List<HttpResponse<String>> answers) {
    for (HttpResponse<String> a : answers) {
      assertThat(a.statusCode() / 100 == 2 || a.statusCode() == 409)
          .as("%d %s", a.statusCode(), a.body())
          .isTrue();
      if (a.statusCode() == 409) {
        JsonObject error = Http.json(a);
        assertThat(error.getString("error")).isIn("illegal_transition", "concurrent_change");
        assertThat(error.getString("message")).isNotBlank();
      }
    }
  }

  private long readyGuest(String name) {
    long id = submit(name, 1, 5).getJsonNumber("id").longValue();
    return http.awaitRequest("alice", id, "READY").getJsonNumber("id").longValue();
  }

  private JsonObject submit(String name, int cores, int leaseDays) {
    HttpResponse<String> created =
        http.call(
            "POST", "api/requests", "alice", "alice", body(name, cores, leaseDays, "race tests"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Http.json(created);
  }

  /** A NAT container of the demo's Alpine template; {@code purpose} is put into JSON as it is. */
  private static String body(String name, int cores, int leaseDays, String purpose) {
    return "{\"kind\":\"container\",\"name\":\""
        + name
        + "\",\"template\":\"alpine-3.20-ct\",\"cores\":"
        + cores
        + ",\"memoryMiB\":256,\"diskGiB\":2,\"network\":{\"mode\":\"nat\"},\"sshKeys\":[\""
        + KEY
        + "\"],\"leaseDays\":"
        + leaseDays
        + ",\"purpose\":\""
        + purpose
        + "\"}";
  }

  private JsonObject request(long id) {
    return Http.json(http.get("api/requests/" + id, "alice", "alice"));
  }

  private String state(long id) {
    return request(id).getString("state");
  }

  private long total(String user) {
    return Http.json(http.get("api/requests?limit=1", user, user)).getInt("total");
  }

  private static List<JsonObject> moves(JsonObject request, String to) {
    return request.getJsonArray("audit").getValuesAs(JsonObject.class).stream()
        .filter(e -> e.getString("to").equals(to) && !to.equals(e.getString("from", null)))
        .toList();
  }
}
