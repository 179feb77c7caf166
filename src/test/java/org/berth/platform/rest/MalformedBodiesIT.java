package org.berth.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.ws.rs.QueryParam;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.berth.testing.ApiEndpoints;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every API endpoint that takes a body, sent every kind of malformed body: each answer is a 400
 * {@code invalid_json} saying what is wrong, and nothing is stored. Each malformed body is an
 * otherwise valid body for its endpoint with one fault added, so a fault that slipped through would
 * act. Also the paging query parameters: text that is not a number in range is a 400 naming the
 * parameter. A new endpoint that takes a body without a row here fails the table test.
 */
class MalformedBodiesIT {

  /** An endpoint that takes a body, a concrete path to call, who calls it, and a valid body. */
  record Row(String method, String path, String user, String valid) {}

  static final String KEY = TestKeys.ed25519("alice@laptop");

  /** One row per endpoint that takes a JSON body, keyed as the code declares it. */
  static final Map<String, Row> BODIES = new LinkedHashMap<>();

  static {
    BODIES.put(
        "POST /api/requests",
        new Row(
            "POST",
            "api/requests",
            "alice",
            "{\"kind\":\"vm\",\"name\":\"malformed-1\",\"template\":\"debian-12\",\"cores\":1,"
                + "\"memoryMiB\":1024,\"diskGiB\":10,\"network\":{\"mode\":\"nat\"},"
                + "\"sshKeys\":[\""
                + KEY
                + "\"],\"leaseDays\":5,\"purpose\":\"tests\"}"));
    BODIES.put(
        "POST /api/requests/{id}/reject",
        new Row("POST", "api/requests/1/reject", "admin", "{\"reason\":\"too big\"}"));
    BODIES.put(
        "POST /api/requests/{id}/extend",
        new Row("POST", "api/requests/1/extend", "alice", "{\"days\":3}"));
    BODIES.put(
        "POST /api/requests/{id}/guest/snapshots",
        new Row("POST", "api/requests/1/guest/snapshots", "alice", "{\"name\":\"malformed\"}"));
    BODIES.put(
        "POST /api/me/keys",
        new Row("POST", "api/me/keys", "alice", "{\"label\":\"laptop\",\"key\":\"" + KEY + "\"}"));
    BODIES.put(
        "POST /api/me/tokens",
        new Row(
            "POST",
            "api/me/tokens",
            "alice",
            "{\"name\":\"malformed\",\"expiresInDays\":30,\"scope\":\"read\"}"));
    BODIES.put(
        "PUT /api/quotas/{user}",
        new Row(
            "PUT",
            "api/quotas/alice",
            "admin",
            "{\"guests\":7,\"cores\":7,\"memoryMiB\":7777,\"diskGiB\":77}"));
    BODIES.put(
        "POST /api/ledger/entries/{host}/claim",
        new Row(
            "POST",
            "api/ledger/entries/pvm099.example.com/claim",
            "admin",
            "{\"holder\":\"alice\"}"));
    BODIES.put(
        "POST /api/ledger/entries/{host}/release",
        new Row(
            "POST",
            "api/ledger/entries/pvm099.example.com/release",
            "admin",
            "{\"holder\":\"alice\"}"));
    BODIES.put(
        "POST /api/ledger/batches",
        new Row(
            "POST",
            "api/ledger/batches",
            "admin",
            "{\"ipv4\":\"192.0.2.240-192.0.2.241\",\"macStart\":\"52:54:00:be:0f:00\","
                + "\"hostPattern\":\"malformed{n:03}.example.com\",\"firstNumber\":1}"));
  }

  /**
   * Endpoints that take their body as text and read it themselves, and why the shared reader does
   * not apply: they are called by other programs with a secret checked before the body is read, and
   * store nothing from it. For these the table asserts only that no malformed body breaks them.
   */
  static final Map<String, Row> OWN_READERS =
      Map.of(
          "POST /api/ledger/webhook/gitlab",
          new Row(
              "POST",
              "api/ledger/webhook/gitlab",
              null,
              "{\"object_kind\":\"push\",\"ref\":\"refs/heads/not-the-ledger\"}"));

  /** A malformed variant of a valid body and the message it must be answered with. */
  record Fault(String name, String message, Variant body) {}

  interface Variant {
    byte[] of(String valid);
  }

  static final String DEEP = "[".repeat(200_000);

  static final List<Fault> FAULTS =
      List.of(
          new Fault("an array", "The body must be a JSON object", valid -> utf8("[1,2]")),
          new Fault("null", "The body must be a JSON object", valid -> utf8("null")),
          new Fault("a string", "The body must be a JSON object", valid -> utf8("\"x\"")),
          new Fault("a number", "The body must be a JSON object", valid -> utf8("1")),
          new Fault("nothing", "The body must be a JSON object", valid -> new byte[0]),
          new Fault(
              "an array around the valid body",
              "The body must be a JSON object",
              valid -> utf8("[" + valid + "]")),
          new Fault(
              "200,000 levels of nesting",
              "The body is nested deeper than 32 levels",
              valid -> utf8(insert(valid, "\"deep\":" + DEEP))),
          new Fault(
              "33 levels of nesting",
              "The body is nested deeper than 32 levels",
              valid -> utf8(insert(valid, "\"deep\":" + "[".repeat(32) + "]".repeat(32)))),
          new Fault(
              "a key twice",
              "The body has the key \"purpose\" twice",
              valid -> utf8(insert(valid, "\"purpose\":\"a\",\"purpose\":\"b\""))),
          new Fault(
              "a key twice in an inner object",
              "The body has the key \"mode\" twice",
              valid ->
                  utf8(insert(valid, "\"inner\":{\"mode\":\"nat\",\"x\":1,\"mode\":\"ledger\"}"))),
          new Fault(
              "trailing garbage",
              "The body has data after its JSON value",
              valid -> utf8(valid + "}garbage")),
          new Fault(
              "a second object",
              "The body has data after its JSON value",
              valid -> utf8(valid + "\n" + valid)),
          new Fault(
              "a number of 500,000 digits",
              "A number in the body is too long",
              valid -> utf8(insert(valid, "\"n\":" + "9".repeat(500_000)))),
          new Fault(
              "invalid UTF-8",
              "The body is not valid UTF-8",
              valid ->
                  concat(
                      utf8("{\"bad\":\""),
                      new byte[] {(byte) 0xC3, (byte) 0x28},
                      utf8("\"," + valid.substring(1)))),
          new Fault(
              "2 MiB",
              "The body is larger than 1 MiB",
              valid -> utf8(insert(valid, "\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\""))),
          new Fault(
              "text that ends too early",
              "The body is not valid JSON: it ends before its value is complete",
              valid -> utf8(valid.substring(0, valid.length() - 1))),
          new Fault(
              "single quotes",
              "The body is not valid JSON: Unexpected character ''' (line 1, column 2)",
              valid -> utf8("{'a':1}")));

  Http http;

  @BeforeEach
  void ready() {
    http = DemoBerth.readyFor().seenOnce("alice", "admin");
  }

  @Test
  void everyEndpointThatTakesABodyHasARow() throws Exception {
    Set<String> inCode = endpointsTakingABody();
    Set<String> inTable = new TreeSet<>(BODIES.keySet());
    inTable.addAll(OWN_READERS.keySet());

    Set<String> missing = new TreeSet<>(inCode);
    missing.removeAll(inTable);
    assertThat(missing).as("endpoints that take a body without a row here").isEmpty();
    Set<String> stale = new TreeSet<>(inTable);
    stale.removeAll(inCode);
    assertThat(stale).as("rows for endpoints that no longer take a body").isEmpty();
  }

  @Test
  void everyMalformedBodyIsRefusedByEveryEndpointAndNothingIsStored() {
    String before = stored();
    List<String> wrong = new ArrayList<>();

    for (Map.Entry<String, Row> endpoint : BODIES.entrySet()) {
      Row row = endpoint.getValue();
      for (Fault fault : FAULTS) {
        HttpResponse<String> answer =
            send(row, fault.body().of(row.valid()), "application/json", true);
        check(endpoint.getKey() + " with " + fault.name(), answer, fault.message(), wrong);
      }
    }

    assertThat(wrong).as("answers that are not the expected 400").isEmpty();
    assertThat(stored()).isEqualTo(before);
  }

  @Test
  void aValidRequestWithTrailingGarbageCreatesNothingWhileTheSameRequestAloneIsCreated() {
    Row submit = BODIES.get("POST /api/requests");
    http.roomFor("alice");
    String before = stored();

    HttpResponse<String> answer =
        send(submit, utf8(submit.valid() + "}garbage"), "application/json", true);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(Http.json(answer).getString("error")).isEqualTo("invalid_json");
    assertThat(Http.json(answer).getString("message"))
        .isEqualTo("The body has data after its JSON value");
    assertThat(stored()).isEqualTo(before);

    int total = Http.json(http.get("api/requests?limit=1", "admin", "admin")).getInt("total");
    HttpResponse<String> created = send(submit, utf8(submit.valid()), "application/json", true);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(Http.json(http.get("api/requests?limit=1", "admin", "admin")).getInt("total"))
        .isEqualTo(total + 1);
  }

  @Test
  void theRulesHoldWithoutAContentTypeOrWithACharsetOrWithoutALength() {
    Row submit = BODIES.get("POST /api/requests");
    String before = stored();
    List<String> wrong = new ArrayList<>();

    for (Fault fault : FAULTS) {
      if (fault.body().of(submit.valid()).length == 0) {
        continue; // an empty body without a type is no body, which the resource itself refuses
      }
      byte[] body = fault.body().of(submit.valid());
      check(fault.name() + " without a type", send(submit, body, null, true), fault, wrong);
      check(
          fault.name() + " with a charset",
          send(submit, body, "application/json; charset=utf-8", true),
          fault,
          wrong);
      check(
          fault.name() + " streamed without a length",
          send(submit, body, "application/json", false),
          fault,
          wrong);
    }

    assertThat(wrong).as("answers that are not the expected 400").isEmpty();
    assertThat(stored()).isEqualTo(before);
  }

  @Test
  void endpointsThatReadTheirOwnBodyAreNotBrokenByMalformedOnes() {
    String before = stored();
    List<String> wrong = new ArrayList<>();

    for (Map.Entry<String, Row> endpoint : OWN_READERS.entrySet()) {
      Row row = endpoint.getValue();
      for (Fault fault : FAULTS) {
        // Such an endpoint may accept a malformed body (and ignore it): only the answer must be
        // one the API's description gives.
        HttpResponse<String> answer =
            http.sendMalformed(
                HttpRequest.newBuilder(http.uri(row.path()))
                    .header("X-Gitlab-Token", "it-webhook-secret")
                    .header("Content-Type", "application/json")
                    .method(
                        row.method(),
                        HttpRequest.BodyPublishers.ofByteArray(fault.body().of(row.valid())))
                    .build());
        if (answer.statusCode() >= 500) {
          wrong.add(endpoint.getKey() + " with " + fault.name() + ": " + answer.statusCode());
        }
      }
    }

    assertThat(wrong).as("malformed bodies that broke an endpoint").isEmpty();
    assertThat(stored()).isEqualTo(before);
  }

  @Test
  void pagingParametersThatAreNotWholeNumbersInRangeAreRefusedByName() {
    List<String> wrong = new ArrayList<>();
    for (String list : List.of("api/requests", "api/ledger/entries")) {
      for (String value : List.of("abc", "", "1.5", "0", "1001", "-1", "99999999999", "1e3")) {
        expectField(
            list + "?limit=" + value, "limit", "must be a whole number from 1 to 1000", wrong);
      }
      for (String value : List.of("abc", "", "2.0", "-1", "99999999999", "0x10")) {
        expectField(
            list + "?offset=" + value, "offset", "must be a whole number, 0 or more", wrong);
      }
      HttpResponse<String> fine = http.get(list + "?offset=0&limit=1000", "alice", "alice");
      if (fine.statusCode() != 200
          || Http.json(fine).getInt("limit") != 1000
          || Http.json(fine).getInt("offset") != 0) {
        wrong.add(list + " with offset=0&limit=1000: " + fine.statusCode() + " " + fine.body());
      }
    }
    assertThat(wrong).as("paging answers that are not the expected 400").isEmpty();
  }

  @Test
  void noQueryParameterIsTakenAsANumberTheRuntimeWouldConvert() throws Exception {
    List<String> numeric = new ArrayList<>();
    for (Class<?> type : ApiEndpoints.resourceClasses()) {
      for (Method m : type.getMethods()) {
        for (Parameter p : m.getParameters()) {
          QueryParam query = p.getAnnotation(QueryParam.class);
          if (query != null && p.getType() != String.class) {
            numeric.add(type.getSimpleName() + "." + m.getName() + " " + query.value());
          }
        }
      }
    }
    assertThat(numeric)
        .as("query parameters the runtime converts (a bad value would be a bare 404)")
        .isEmpty();
  }

  private void expectField(String path, String field, String rule, List<String> wrong) {
    HttpResponse<String> answer = http.get(path, "alice", "alice");
    JsonObject body = answer.statusCode() == 400 ? Http.json(answer) : null;
    if (body == null
        || !"invalid_input".equals(body.getString("error", null))
        || !body.containsKey("fields")
        || !rule.equals(body.getJsonObject("fields").getString(field, null))) {
      wrong.add(path + ": " + answer.statusCode() + " " + answer.body());
    }
  }

  private static void check(String what, HttpResponse<String> answer, Fault fault, List<String> w) {
    check(what, answer, fault.message(), w);
  }

  private static void check(
      String what, HttpResponse<String> answer, String message, List<String> wrong) {
    if (answer == null) {
      wrong.add(what + ": no answer, the connection was dropped");
      return;
    }
    boolean right = false;
    if (answer.statusCode() == 400) {
      try {
        JsonObject body = Http.json(answer);
        right =
            "invalid_json".equals(body.getString("error", null))
                && message.equals(body.getString("message", null));
      } catch (RuntimeException e) {
        right = false;
      }
    }
    if (!right) {
      String body = answer.body();
      wrong.add(
          what
              + ": "
              + answer.statusCode()
              + " "
              + (body.length() > 200 ? body.substring(0, 200) + "…" : body));
    }
  }

  /**
   * What the calls could have changed: requests, alice's keys, tokens and quota, and the ledger's
   * head and entries.
   */
  private String stored() {
    JsonObject requests = Http.json(http.get("api/requests?limit=1", "admin", "admin"));
    JsonObject quota = Http.json(http.get("api/quotas/alice", "admin", "admin"));
    JsonObject ledger = Http.json(http.get("api/ledger/status", "admin", "admin"));
    return String.join(
        "\n",
        "requests: " + requests.getInt("total"),
        "keys: " + http.get("api/me/keys", "alice", "alice").body(),
        "tokens: " + http.get("api/me/tokens", "alice", "alice").body(),
        "quota: " + quota.getBoolean("overridden") + " " + quota.getJsonObject("limits"),
        "ledger head: " + ledger.get("headCommit") + ", entries " + ledger.get("entries"),
        "pvm099: " + http.get("api/ledger/entries/pvm099.example.com", "admin", "admin").body());
  }

  private HttpResponse<String> send(Row row, byte[] body, String type, boolean withLength) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(http.uri(row.path()))
            .header("Authorization", Http.basic(row.user(), row.user()));
    if (type != null) {
      request.header("Content-Type", type);
    }
    HttpRequest.BodyPublisher publisher =
        withLength
            ? HttpRequest.BodyPublishers.ofByteArray(body)
            : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    try {
      return http.send(request.method(row.method(), publisher).build());
    } catch (AssertionError e) {
      // A connection dropped before the answer: reported with the case, not as the first failure.
      return null;
    }
  }

  /** Adds {@code member} as the first member of the object {@code valid}. */
  static String insert(String valid, String member) {
    return "{" + member + "," + valid.substring(1);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(out::writeBytes);
    return out.toByteArray();
  }

  /**
   * {@code METHOD /api/path} of every resource method with a parameter the runtime fills from the
   * body: one without any JAX-RS annotation ({@code @PathParam}, {@code @QueryParam},
   * {@code @HeaderParam}, {@code @Context}, ...).
   */
  static Set<String> endpointsTakingABody() {
    Set<String> found = new TreeSet<>();
    ApiEndpoints.inCode()
        .forEach(
            (endpoint, m) -> {
              if (Arrays.stream(m.getParameters()).anyMatch(p -> isEntity(p))) {
                found.add(endpoint);
              }
            });
    return found;
  }

  private static boolean isEntity(Parameter p) {
    for (Annotation a : p.getAnnotations()) {
      String name = a.annotationType().getName();
      if (name.startsWith("jakarta.ws.rs.")) {
        return false;
      }
    }
    return true;
  }
}
