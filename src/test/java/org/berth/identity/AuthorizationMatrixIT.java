package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.berth.testing.ApiEndpoints;
import org.berth.testing.Http;
import org.berth.testing.Keycloak;
import org.berth.testing.OidcSession;
import org.berth.testing.ProductionBerth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Who may call what, generated from one table: every endpoint under {@code /api} and every folder
 * of pages, for every kind of caller, against Berth started as production starts it with a real
 * Keycloak. An endpoint or page folder that has no row in the table fails the test, so a new one
 * cannot be added without saying who may use it.
 */
// After the other shared-Berth tests, so that Keycloak and the production Berth have booted in
// the background (EarlyStart) by the time the sign-in tests need them.
@Order(Order.DEFAULT + 1)
class AuthorizationMatrixIT {

  /** Who may call an endpoint. */
  enum Rule {
    /** Any signed-in person. */
    SIGNED_IN,
    /** Any signed-in person, but not with a personal API token (tokens cannot make tokens). */
    NOT_BY_PERSONAL_TOKEN,
    /** Admins only. */
    ADMIN,
    /** The owner of the request in the path, and admins; others are told it does not exist. */
    OWNER,
    /** A program with a secret of its own (the jump host, a Git server's hook). */
    OWN_SECRET,
    /** Anyone; pages only. */
    PUBLIC
  }

  /**
   * The callers. On the API, DEVELOPER, OTHER_DEVELOPER and ADMIN use personal write tokens of
   * their own, KEYCLOAK_TOKEN is the developer's access token from Keycloak; on pages the people
   * use sessions signed in through Keycloak, and the others have none.
   */
  enum Caller {
    ANONYMOUS,
    DEVELOPER,
    OTHER_DEVELOPER,
    ADMIN,
    READ_TOKEN,
    WRITE_TOKEN,
    EXPIRED_TOKEN,
    REVOKED_TOKEN,
    BLOCKED,
    KEYCLOAK_TOKEN,
    WRONG_AUDIENCE,
    OTHER_KEY
  }

  /** What a caller gets. */
  enum Outcome {
    /** 401: not signed in. */
    UNAUTHORIZED,
    /** 403: signed in, not allowed. */
    FORBIDDEN,
    /** 404 although the resource exists: it is someone else's. */
    HIDDEN,
    /** Past sign-in and authorization: the endpoint's own answer (2xx, 400, 404, 409). */
    ALLOWED,
    /** Pages: sent to the identity provider to sign in. */
    SIGN_IN,
    /** Pages: sent to the sign-in problem page. */
    PROBLEM
  }

  /** One endpoint: method, path under the application (with {@code {id}} etc.), rule. */
  record Endpoint(String method, String path, Rule rule) {
    String key() {
      return method + " " + path;
    }
  }

  /** The table: every endpoint of the API and who may call it. */
  static final List<Endpoint> API =
      List.of(
          new Endpoint("GET", "/api/me", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/me/keys", Rule.SIGNED_IN),
          new Endpoint("POST", "/api/me/keys", Rule.SIGNED_IN),
          new Endpoint("DELETE", "/api/me/keys/{id}", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/me/tokens", Rule.SIGNED_IN),
          new Endpoint("POST", "/api/me/tokens", Rule.NOT_BY_PERSONAL_TOKEN),
          new Endpoint("DELETE", "/api/me/tokens/{id}", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/people", Rule.ADMIN),
          new Endpoint("GET", "/api/people/{username}", Rule.ADMIN),
          new Endpoint("PUT", "/api/people/{username}/block", Rule.ADMIN),
          new Endpoint("DELETE", "/api/people/{username}/block", Rule.ADMIN),
          new Endpoint("GET", "/api/people/{username}/tokens", Rule.ADMIN),
          new Endpoint("DELETE", "/api/people/{username}/tokens/{id}", Rule.ADMIN),
          new Endpoint("GET", "/api/jumphost/authorized-keys", Rule.OWN_SECRET),
          new Endpoint("POST", "/api/ledger/webhook", Rule.OWN_SECRET),
          new Endpoint("POST", "/api/ledger/webhook/gitlab", Rule.OWN_SECRET),
          new Endpoint("GET", "/api/ledger/entries", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/ledger/entries/{host}", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/ledger/status", Rule.ADMIN),
          new Endpoint("POST", "/api/ledger/sync", Rule.ADMIN),
          new Endpoint("POST", "/api/ledger/entries/{host}/claim", Rule.ADMIN),
          new Endpoint("POST", "/api/ledger/entries/{host}/release", Rule.ADMIN),
          new Endpoint("DELETE", "/api/ledger/entries/{host}", Rule.ADMIN),
          new Endpoint("POST", "/api/ledger/batches", Rule.ADMIN),
          new Endpoint("GET", "/api/quotas", Rule.ADMIN),
          new Endpoint("GET", "/api/quotas/{user}", Rule.ADMIN),
          new Endpoint("PUT", "/api/quotas/{user}", Rule.ADMIN),
          new Endpoint("DELETE", "/api/quotas/{user}", Rule.ADMIN),
          new Endpoint("POST", "/api/requests", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/requests", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/requests/{id}", Rule.OWNER),
          new Endpoint("POST", "/api/requests/{id}/approve", Rule.ADMIN),
          new Endpoint("POST", "/api/requests/{id}/reject", Rule.ADMIN),
          new Endpoint("POST", "/api/requests/{id}/extend", Rule.OWNER),
          new Endpoint("POST", "/api/requests/{id}/retry", Rule.OWNER),
          new Endpoint("GET", "/api/requests/{id}/guest", Rule.OWNER),
          new Endpoint("POST", "/api/requests/{id}/guest/start", Rule.OWNER),
          new Endpoint("POST", "/api/requests/{id}/guest/stop", Rule.OWNER),
          new Endpoint("POST", "/api/requests/{id}/guest/reboot", Rule.OWNER),
          new Endpoint("POST", "/api/requests/{id}/guest/force-stop", Rule.OWNER),
          new Endpoint("GET", "/api/requests/{id}/guest/snapshots", Rule.OWNER),
          new Endpoint("POST", "/api/requests/{id}/guest/snapshots", Rule.OWNER),
          new Endpoint("POST", "/api/requests/{id}/guest/snapshots/{name}/rollback", Rule.OWNER),
          new Endpoint("DELETE", "/api/requests/{id}/guest/snapshots/{name}", Rule.OWNER),
          new Endpoint("DELETE", "/api/requests/{id}", Rule.OWNER),
          new Endpoint("GET", "/api/templates", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/inventory", Rule.SIGNED_IN),
          new Endpoint("GET", "/api/hypervisor", Rule.ADMIN),
          new Endpoint("GET", "/api/hypervisor/reconciliation", Rule.ADMIN),
          new Endpoint("POST", "/api/hypervisor/reconciliation", Rule.ADMIN),
          new Endpoint("POST", "/api/hypervisor/reconciliation/{finding}/{action}", Rule.ADMIN));

  /** Every folder of pages, a page in it, and who may see it. */
  static final Map<String, Endpoint> PAGES =
      Map.of(
          "", new Endpoint("GET", "/profile.xhtml", Rule.SIGNED_IN),
          "admin", new Endpoint("GET", "/admin/index.xhtml", Rule.ADMIN),
          "guests", new Endpoint("GET", "/guests/index.xhtml", Rule.SIGNED_IN),
          "ledger", new Endpoint("GET", "/ledger/index.xhtml", Rule.SIGNED_IN),
          "requests", new Endpoint("GET", "/requests/new.xhtml", Rule.SIGNED_IN));

  /** Pages anyone may open, in the top folder. */
  static final List<String> PUBLIC_PAGES = List.of("/signed-out.xhtml", "/sign-in-problem.xhtml");

  static ProductionBerth berth;
  static Map<Caller, String> authorization = new EnumMap<>(Caller.class);
  static Map<Caller, OidcSession> sessions = new EnumMap<>(Caller.class);
  static long requestId;

  @BeforeAll
  static void callers() throws Exception {
    berth = ProductionBerth.get();
    Keycloak keycloak = berth.keycloak();
    berth.person("mdora", "Dora Developer", "developer");
    berth.person("meve", "Eve Developer", "developer");
    berth.person("mada", "Ada Admin", "admin", "developer");
    berth.person("mbert", "Bert Blocked", "developer");
    String dora = "Bearer " + keycloak.accessToken("mdora", ProductionBerth.PASSWORD);
    String eve = "Bearer " + keycloak.accessToken("meve", ProductionBerth.PASSWORD);
    String ada = "Bearer " + keycloak.accessToken("mada", ProductionBerth.PASSWORD);
    String bert = "Bearer " + keycloak.accessToken("mbert", ProductionBerth.PASSWORD);

    authorization.put(Caller.DEVELOPER, "Bearer " + token(dora, "write"));
    authorization.put(Caller.OTHER_DEVELOPER, "Bearer " + token(eve, "write"));
    authorization.put(Caller.ADMIN, "Bearer " + token(ada, "write"));
    authorization.put(Caller.READ_TOKEN, "Bearer " + token(dora, "read"));
    authorization.put(Caller.WRITE_TOKEN, "Bearer " + token(dora, "write"));
    String expired = token(dora, "write");
    assertThat(
            berth.sql(
                "UPDATE api_token SET created = now() - interval '2 days',"
                    + " expires_at = now() - interval '1 second' WHERE hint = ?",
                expired.substring(0, 10)))
        .isEqualTo(1);
    authorization.put(Caller.EXPIRED_TOKEN, "Bearer " + expired);
    String revoked = token(dora, "write");
    long revokedId = idOfToken(dora, revoked);
    assertThat(send("DELETE", "/api/me/tokens/" + revokedId, dora, null).statusCode())
        .isEqualTo(204);
    authorization.put(Caller.REVOKED_TOKEN, "Bearer " + revoked);
    authorization.put(Caller.BLOCKED, "Bearer " + token(bert, "write"));
    authorization.put(Caller.KEYCLOAK_TOKEN, dora);
    authorization.put(
        Caller.WRONG_AUDIENCE,
        "Bearer " + keycloak.accessTokenWithoutBerthAudience("mdora", ProductionBerth.PASSWORD));
    authorization.put(Caller.OTHER_KEY, "Bearer " + forged(keycloak));

    for (var who :
        Map.of(
                Caller.DEVELOPER, "mdora",
                Caller.OTHER_DEVELOPER, "meve",
                Caller.ADMIN, "mada",
                Caller.BLOCKED, "mbert")
            .entrySet()) {
      OidcSession session = new OidcSession(berth.base());
      HttpResponse<String> home =
          session.signIn("guests/index.xhtml", who.getValue(), ProductionBerth.PASSWORD);
      assertThat(home.statusCode()).as("sign-in of " + who.getValue()).isEqualTo(200);
      sessions.put(who.getKey(), session);
    }
    assertThat(send("PUT", "/api/people/mbert/block", ada, null).statusCode()).isEqualTo(204);

    // A request of dora's, for the endpoints whose path names one.
    berth.containerTemplate("matrix-ct");
    HttpResponse<String> created =
        send(
            "POST",
            "/api/requests",
            dora,
            "{\"kind\":\"container\",\"name\":\"matrix-"
                + Long.toString(System.currentTimeMillis(), 36)
                + "\",\"template\":\"matrix-ct\",\"cores\":1,\"memoryMiB\":512,\"diskGiB\":8,"
                + "\"network\":{\"mode\":\"nat\"},\"sshKeys\":[\""
                + org.berth.testing.TestKeys.ed25519("matrix")
                + "\"],\"leaseDays\":3,\"purpose\":\"authorization matrix\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    requestId = Http.json(created).getJsonNumber("id").longValue();
  }

  /** Creates a personal token for the holder of {@code authorization}; returns its text. */
  static String token(String authorization, String scope) {
    HttpResponse<String> created =
        send(
            "POST",
            "/api/me/tokens",
            authorization,
            "{\"name\":\"matrix " + scope + "\",\"expiresInDays\":7,\"scope\":\"" + scope + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return Http.json(created).getString("token");
  }

  static long idOfToken(String authorization, String token) {
    String listed = send("GET", "/api/me/tokens", authorization, null).body();
    return jakarta.json.Json.createReader(new java.io.StringReader(listed)).readArray().stream()
        .map(v -> (JsonObject) v)
        .filter(t -> token.startsWith(t.getString("hint")))
        .mapToLong(t -> t.getJsonNumber("id").longValue())
        .findFirst()
        .orElseThrow();
  }

  /** A token with the right claims, signed by a key Keycloak never published. */
  static String forged(Keycloak keycloak) throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("forged").generate();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(keycloak.issuer())
            .audience(List.of("berth", "account"))
            .subject("forged")
            .claim("preferred_username", "mada")
            .claim("resource_access", Map.of("berth", Map.of("roles", List.of("admin"))))
            .issueTime(new Date())
            .expirationTime(Date.from(Instant.now().plusSeconds(600)))
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("forged").build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void everyEndpointAndPageFolderHasARow() throws Exception {
    Set<String> inTable = API.stream().map(Endpoint::key).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>(endpointsInCode());
    missing.removeAll(inTable);
    assertThat(missing).as("endpoints without a row in the authorization table").isEmpty();
    Set<String> stale = new TreeSet<>(inTable);
    stale.removeAll(endpointsInCode());
    assertThat(stale).as("rows for endpoints that no longer exist").isEmpty();

    Set<String> folders;
    java.nio.file.Path webapp = java.nio.file.Path.of("src", "main", "webapp");
    try (Stream<java.nio.file.Path> files = Files.walk(webapp)) {
      folders =
          files
              .filter(p -> p.toString().endsWith(".xhtml"))
              .map(webapp::relativize)
              .filter(p -> !p.startsWith("WEB-INF") && !p.startsWith("resources"))
              .map(p -> p.getParent() == null ? "" : p.getParent().toString())
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(PAGES.keySet()).containsExactlyInAnyOrderElementsOf(folders);
  }

  @Test
  void everyCallerGetsWhatTheTableSaysFromEveryEndpoint() {
    List<String> wrong = new ArrayList<>();
    for (Endpoint endpoint : API) {
      for (Caller caller : Caller.values()) {
        Outcome expected = expected(endpoint.rule(), caller, endpoint.method());
        HttpResponse<String> answer =
            send(
                endpoint.method(),
                concrete(endpoint.path()),
                authorization.get(caller),
                Set.of("POST", "PUT").contains(endpoint.method()) ? "{}" : null);
        Outcome got = outcome(answer, endpoint.rule() == Rule.OWNER);
        if (got != expected || answer.statusCode() >= 500) {
          wrong.add(
              endpoint.key()
                  + " as "
                  + caller
                  + ": expected "
                  + expected
                  + ", got "
                  + answer.statusCode()
                  + " "
                  + abbreviate(answer.body()));
        }
      }
    }
    assertThat(wrong).as("answers that differ from the table").isEmpty();
  }

  @Test
  void everyCallerGetsWhatTheTableSaysFromEveryPageFolder() {
    List<String> wrong = new ArrayList<>();
    Map<String, Endpoint> pages = new LinkedHashMap<>(PAGES);
    PUBLIC_PAGES.forEach(p -> pages.put(p, new Endpoint("GET", p, Rule.PUBLIC)));
    for (Endpoint page : pages.values()) {
      for (Caller caller : Caller.values()) {
        Outcome expected = expectedPage(page.rule(), caller);
        OidcSession session = sessions.get(caller);
        HttpResponse<String> answer =
            session != null
                ? session.get(page.path().substring(1))
                : send("GET", page.path(), authorization.get(caller), null);
        Outcome got = pageOutcome(answer);
        if (got != expected) {
          wrong.add(page.path() + " as " + caller + ": expected " + expected + ", got " + answer);
        }
      }
    }
    assertThat(wrong).as("pages that differ from the table").isEmpty();
  }

  static Outcome expected(Rule rule, Caller caller, String method) {
    if (rule == Rule.OWN_SECRET) {
      return Outcome.UNAUTHORIZED;
    }
    switch (caller) {
      case ANONYMOUS, EXPIRED_TOKEN, REVOKED_TOKEN, BLOCKED, WRONG_AUDIENCE, OTHER_KEY -> {
        return Outcome.UNAUTHORIZED;
      }
      case READ_TOKEN -> {
        if (!method.equals("GET")) {
          return Outcome.FORBIDDEN;
        }
      }
      default -> {}
    }
    boolean admin = caller == Caller.ADMIN;
    return switch (rule) {
      case NOT_BY_PERSONAL_TOKEN ->
          caller == Caller.KEYCLOAK_TOKEN ? Outcome.ALLOWED : Outcome.FORBIDDEN;
      case ADMIN -> admin ? Outcome.ALLOWED : Outcome.FORBIDDEN;
      case OWNER -> caller == Caller.OTHER_DEVELOPER ? Outcome.HIDDEN : Outcome.ALLOWED;
      default -> Outcome.ALLOWED;
    };
  }

  static Outcome expectedPage(Rule rule, Caller caller) {
    if (rule == Rule.PUBLIC) {
      return Outcome.ALLOWED;
    }
    return switch (caller) {
      case DEVELOPER, OTHER_DEVELOPER -> rule == Rule.ADMIN ? Outcome.FORBIDDEN : Outcome.ALLOWED;
      case ADMIN -> Outcome.ALLOWED;
      case BLOCKED -> Outcome.PROBLEM;
      // Pages take no tokens: a caller with only a token is asked to sign in.
      default -> Outcome.SIGN_IN;
    };
  }

  /** A 404 from an endpoint on a request (which exists) means it is hidden from the caller. */
  static Outcome outcome(HttpResponse<String> answer, boolean ownerScoped) {
    return switch (answer.statusCode()) {
      case 401 -> Outcome.UNAUTHORIZED;
      case 403 -> Outcome.FORBIDDEN;
      case 404 -> ownerScoped ? Outcome.HIDDEN : Outcome.ALLOWED;
      default -> Outcome.ALLOWED;
    };
  }

  static Outcome pageOutcome(HttpResponse<String> answer) {
    if (answer.statusCode() == 302) {
      URI to = OidcSession.location(answer);
      if (to.getPath().endsWith("/sign-in-problem.xhtml")) {
        return Outcome.PROBLEM;
      }
      if (to.toString().startsWith(berth.keycloak().issuer())) {
        return Outcome.SIGN_IN;
      }
    }
    return switch (answer.statusCode()) {
      case 200 -> Outcome.ALLOWED;
      case 401 -> Outcome.UNAUTHORIZED;
      case 403 -> Outcome.FORBIDDEN;
      default -> Outcome.HIDDEN;
    };
  }

  static String concrete(String path) {
    String id = path.contains("/requests/") ? Long.toString(requestId) : "999999";
    return path.replace("{id}", id)
        .replace("{username}", "nobody-here")
        .replace("{user}", "nobody-here")
        .replace("{host}", "no-such-host.example.org")
        .replace("{finding}", "0")
        .replace("{action}", "dismiss")
        .replace("{name}", "no-such-snapshot");
  }

  static HttpResponse<String> send(String method, String path, String authorization, String body) {
    return Http.raw(berth.base(), method, path.substring(1), authorization, body);
  }

  /** Every resource method of the WAR's classes, as {@code METHOD /api/path}. */
  static Set<String> endpointsInCode() {
    return new TreeSet<>(ApiEndpoints.inCode().keySet());
  }

  private static String abbreviate(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }
}
