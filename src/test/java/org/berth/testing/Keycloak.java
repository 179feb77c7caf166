package org.berth.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak with Berth's shipped realm ({@code deploy/keycloak/berth-realm.json}), started
 * once per test JVM on loopback and stopped when the JVM exits. Every start begins from the realm
 * file: the distribution's {@code data} folder is wiped first.
 *
 * <p>The distribution comes from Maven ({@code keycloak.home}, unpacked before the integration
 * tests); Keycloak needs Java 21 or newer, which is looked for in {@code KEYCLOAK_JAVA_HOME}, then
 * under {@code /usr/lib/jvm}, then the JVM running the tests. Without either the calling test is
 * skipped, or fails in CI ({@link RequiredProgram#unavailable}).
 *
 * <p>At start the {@code berth} and {@code berth-automation} clients get fresh random secrets, and
 * two test-only public clients are added that allow the password grant: {@code berth-tests}, whose
 * access tokens look like those Berth's API accepts ({@code aud} holds {@code berth}, roles at
 * {@code resource_access.berth.roles}), and {@code berth-tests-other}, whose tokens lack that
 * audience.
 */
public final class Keycloak {

  public static final String REALM = "berth";
  public static final String CLIENT_ID = "berth";
  public static final String AUTOMATION_CLIENT_ID = "berth-automation";
  public static final String TEST_CLIENT_ID = "berth-tests";
  public static final String OTHER_TEST_CLIENT_ID = "berth-tests-other";

  private static final Duration START_LIMIT = Duration.ofSeconds(180);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(20);
  private static final String ADMIN = "admin";
  private static final String POST_LOGOUT_REDIRECTS = "post.logout.redirect.uris";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern LOGIN_FORM =
      Pattern.compile("<form id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

  private static Keycloak instance;
  private static AssertionError startFailure;

  private final Process process;
  private final Path log;
  private final URI base;
  private final String adminPassword;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Duration startedIn;
  private String berthClient;
  private String clientSecret;
  private String automationSecret;
  private String adminToken;
  private Instant adminTokenExpires = Instant.MIN;

  private Keycloak(Process process, Path log, URI base, String adminPassword) {
    this.process = process;
    this.log = log;
    this.base = base;
    this.adminPassword = adminPassword;
  }

  /**
   * The Keycloak of this test JVM, started on first use (15 to 35 s; the first run after unpacking
   * takes about 20 s more to build Keycloak for its options). Skips the calling test (fails it in
   * CI) when the distribution or a Java 21+ is missing; fails it when Keycloak does not start.
   */
  public static synchronized Keycloak get() {
    if (instance != null) {
      return instance;
    }
    if (startFailure != null) {
      throw new AssertionError("Keycloak failed to start earlier in this run", startFailure);
    }
    Path home = distribution();
    Path realm = realmFile();
    Path java = javaHome();
    try {
      instance = start(home, realm, java);
      return instance;
    } catch (IOException | RuntimeException e) {
      startFailure = new AssertionError("Keycloak did not start: " + e, e);
      throw startFailure;
    } catch (AssertionError e) {
      startFailure = e;
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Where Keycloak answers, ending in a slash: {@code http://127.0.0.1:<port>/}. */
  public URI base() {
    return base;
  }

  /** The issuer of realm {@code berth}, as Berth's {@code berth.oidc.issuer} names it. */
  public String issuer() {
    return base + "realms/" + REALM;
  }

  /** The secret of client {@code berth}, set to a random value at start. */
  public String clientSecret() {
    return clientSecret;
  }

  /** The secret of client {@code berth-automation}, set to a random value at start. */
  public String automationClientSecret() {
    return automationSecret;
  }

  /** How long the start took, from launching {@code kc.sh} to the realm's discovery document. */
  public Duration startedIn() {
    return startedIn;
  }

  /** What Keycloak printed so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lets client {@code berth} send browsers back to a Berth at {@code berthBase} (ending in a
   * slash): adds {@code <berthBase>oidc/callback} to its redirect URIs and {@code
   * <berthBase>signed-out.xhtml} to its post-logout redirect URIs, keeping those it has.
   */
  public synchronized void allowRedirects(URI berthBase) {
    String root = berthBase.toString().endsWith("/") ? berthBase.toString() : berthBase + "/";
    JsonObject client = admin("GET", "clients/" + berthClient(), null).asJsonObject();
    Set<String> redirects = new LinkedHashSet<>(strings(client.getJsonArray("redirectUris")));
    redirects.add(root + "oidc/callback");
    JsonObject attributes = client.getJsonObject("attributes");
    Set<String> afterLogout = new LinkedHashSet<>();
    String existing = attributes.getString(POST_LOGOUT_REDIRECTS, "");
    Arrays.stream(existing.split("##")).filter(s -> !s.isBlank()).forEach(afterLogout::add);
    afterLogout.add(root + "signed-out.xhtml");
    JsonObject changed =
        Json.createObjectBuilder(client)
            .add("redirectUris", Json.createArrayBuilder(List.copyOf(redirects)))
            .add(
                "attributes",
                Json.createObjectBuilder(attributes)
                    .add(POST_LOGOUT_REDIRECTS, String.join("##", afterLogout)))
            .build();
    admin("PUT", "clients/" + berthClient(), changed);
  }

  /**
   * Creates an enabled user with a verified email, no required actions and a password, holding the
   * given client roles of {@code berth}. Keycloak's default user profile wants first name, last
   * name and email; without them a sign-in stops to ask for them.
   */
  public void createUser(
      String username,
      String password,
      String firstName,
      String lastName,
      String email,
      String... berthClientRoles) {
    JsonObjectBuilder user =
        Json.createObjectBuilder()
            .add("username", username)
            .add("enabled", true)
            .add("emailVerified", true)
            .add("requiredActions", JsonValue.EMPTY_JSON_ARRAY)
            .add(
                "credentials",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("type", "password")
                            .add("value", password)
                            .add("temporary", false)));
    if (firstName != null) {
      user.add("firstName", firstName);
    }
    if (lastName != null) {
      user.add("lastName", lastName);
    }
    if (email != null) {
      user.add("email", email);
    }
    admin("POST", "users", user.build());
    setRoles(username, berthClientRoles);
  }

  /** Gives {@code username} exactly these client roles of {@code berth}, removing the others. */
  public synchronized void setRoles(String username, String... berthClientRoles) {
    String user = userId(username);
    String path = "users/" + user + "/role-mappings/clients/" + berthClient();
    Set<String> wanted = new LinkedHashSet<>(List.of(berthClientRoles));
    Map<String, JsonObject> known = new LinkedHashMap<>();
    admin("GET", "clients/" + berthClient() + "/roles", null).asJsonArray().stream()
        .map(JsonValue::asJsonObject)
        .forEach(r -> known.put(r.getString("name"), r));
    for (String role : wanted) {
      if (!known.containsKey(role)) {
        throw new AssertionError("client berth has no role " + role + "; it has " + known.keySet());
      }
    }
    List<JsonObject> held =
        admin("GET", path, null).asJsonArray().stream().map(JsonValue::asJsonObject).toList();
    JsonArray remove =
        array(held.stream().filter(r -> !wanted.contains(r.getString("name"))).toList());
    Set<String> heldNames = held.stream().map(r -> r.getString("name")).collect(Collectors.toSet());
    JsonArray add =
        array(wanted.stream().filter(r -> !heldNames.contains(r)).map(known::get).toList());
    if (!remove.isEmpty()) {
      admin("DELETE", path, remove);
    }
    if (!add.isEmpty()) {
      admin("POST", path, add);
    }
  }

  /** How many sessions {@code username} has in realm {@code berth} (password grants make some). */
  public int sessionCount(String username) {
    return admin("GET", "users/" + userId(username) + "/sessions", null).asJsonArray().size();
  }

  /** Ends every session of {@code username}, as an administrator can in the admin console. */
  public void logoutAll(String username) {
    admin("POST", "users/" + userId(username) + "/logout", null);
  }

  /**
   * An access token for {@code username} from client {@code berth-tests}: {@code aud} contains
   * {@code berth} and {@code resource_access.berth.roles} holds the user's roles of {@code berth}.
   */
  public String accessToken(String username, String password) {
    return accessToken(passwordGrant(TEST_CLIENT_ID, null, username, password));
  }

  /**
   * An access token for {@code username} from client {@code berth-tests-other}, without aud berth.
   */
  public String accessTokenWithoutBerthAudience(String username, String password) {
    return accessToken(passwordGrant(OTHER_TEST_CLIENT_ID, null, username, password));
  }

  /** An access token of client {@code berth-automation}'s service account (client credentials). */
  public String serviceAccountToken() {
    return accessToken(
        token(Map.of("grant_type", "client_credentials"), AUTOMATION_CLIENT_ID, automationSecret));
  }

  /**
   * Signs in at Keycloak's sign-in page as a fresh browser would, starting from an authorization
   * request (such as the address Berth redirects to), and returns where Keycloak then sends the
   * browser: the client's redirect URI with {@code code} and {@code state}, or an error.
   *
   * <p>Keycloak marks its cookies {@code Secure} even on plain http; browsers keep them for
   * loopback addresses, but {@link java.net.CookieManager} drops them, so this carries them itself.
   */
  public URI signIn(URI authorizationRequest, String username, String password) {
    Map<String, String> cookies = new LinkedHashMap<>();
    HttpResponse<String> page =
        send(HttpRequest.newBuilder(authorizationRequest).timeout(Duration.ofSeconds(30)).build());
    keepCookies(page, cookies);
    if (page.statusCode() != 200) {
      throw new AssertionError(
          "the authorization request answered "
              + page.statusCode()
              + page.headers().firstValue("Location").map(l -> " to " + l).orElse("")
              + ": "
              + page.body());
    }
    Matcher form = LOGIN_FORM.matcher(page.body());
    if (!form.find()) {
      throw new AssertionError("no sign-in form on Keycloak's page:\n" + page.body());
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("username", username);
    fields.put("password", password);
    fields.put("credentialId", "");
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(URI.create(form.group(1).replace("&amp;", "&")))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookieHeader(cookies))
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)))
                .build());
    Optional<String> location = answer.headers().firstValue("Location");
    if (answer.statusCode() != 302 || location.isEmpty()) {
      throw new AssertionError(
          "signing in as " + username + " answered " + answer.statusCode() + ":\n" + answer.body());
    }
    return URI.create(location.get());
  }

  /**
   * The token endpoint's raw answer to a password grant for {@code clientId} (with {@code
   * clientSecret}, or none for a public client), for tests that expect a refusal.
   */
  public HttpResponse<String> passwordGrant(
      String clientId, String clientSecret, String username, String password) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("username", username);
    form.put("password", password);
    form.put("scope", "openid");
    return token(form, clientId, clientSecret);
  }

  /** The claims of a JWT (its payload, decoded; the signature is not checked). */
  public static JsonObject claims(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      throw new AssertionError("not a signed JWT: " + jwt);
    }
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    return parse(payload).asJsonObject();
  }

  /** A token's {@code aud} as a list: JWTs carry one audience as a string, several as an array. */
  public static List<String> audiences(JsonObject claims) {
    JsonValue aud = claims.get("aud");
    if (aud == null || aud.getValueType() == JsonValue.ValueType.NULL) {
      return List.of();
    }
    if (aud.getValueType() == JsonValue.ValueType.STRING) {
      return List.of(((JsonString) aud).getString());
    }
    return strings(aud.asJsonArray());
  }

  private static Path distribution() {
    String property = System.getProperty("keycloak.home");
    if (property == null) {
      unavailable(
          "needs the Keycloak distribution (system property keycloak.home), which is unset; run"
              + " the test through mvn verify, which unpacks it into target/keycloak");
    }
    Path home = Path.of(property).toAbsolutePath();
    if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
      unavailable(
          "needs the Keycloak distribution in "
              + home
              + ", which is missing; mvn verify unpacks it there (or on its own: mvn"
              + " dependency:unpack@unpack-keycloak)");
    }
    return home;
  }

  private static Path realmFile() {
    String property = System.getProperty("keycloak.realm", "deploy/keycloak/berth-realm.json");
    Path realm = Path.of(property).toAbsolutePath();
    if (!Files.isRegularFile(realm)) {
      throw new AssertionError("the realm file " + realm + " (keycloak.realm) is missing");
    }
    return realm;
  }

  /** A Java 21 or newer for Keycloak; skips (fails in CI) when there is none. */
  private static Path javaHome() {
    String env = System.getenv("KEYCLOAK_JAVA_HOME");
    if (env != null && !env.isBlank()) {
      Path home = Path.of(env);
      if (javaVersion(home) < 21 || !Files.isExecutable(home.resolve("bin/java"))) {
        unavailable(
            "KEYCLOAK_JAVA_HOME="
                + env
                + " is not a Java 21 or newer (no bin/java, or its release file says otherwise);"
                + " Keycloak needs one");
      }
      return home;
    }
    Optional<Path> installed = Optional.empty();
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> homes = Files.list(jvms)) {
        installed =
            homes
                .sorted()
                .filter(h -> javaVersion(h) >= 21 && Files.isExecutable(h.resolve("bin/java")))
                .findFirst();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (installed.isPresent()) {
      return installed.get();
    }
    if (Runtime.version().feature() >= 21) {
      return Path.of(System.getProperty("java.home"));
    }
    unavailable(
        "needs Java 21 or newer to run Keycloak and found none (KEYCLOAK_JAVA_HOME is unset, no"
            + " /usr/lib/jvm/*/release says JAVA_VERSION 21 or newer, and the tests run on Java "
            + Runtime.version().feature()
            + "); install one, e.g. apt-get install openjdk-21-jdk-headless where the"
            + " distribution has it, or Temurin 21+, or point KEYCLOAK_JAVA_HOME at one");
    throw new IllegalStateException("unreachable");
  }

  /**
   * Skips (in CI fails) the calling test. Also prints why: a skip in {@code @BeforeAll} shows in
   * the test report as a class without tests, not with its reason.
   */
  private static void unavailable(String message) {
    System.out.println("Keycloak is unavailable: " + message);
    RequiredProgram.unavailable(message);
  }

  /** The feature version in {@code <home>/release} ({@code JAVA_VERSION="25.0.3"}), or 0. */
  static int javaVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
          if (v.startsWith("1.")) {
            v = v.substring(2);
          }
          String digits = v.replaceFirst("[^0-9].*$", "");
          return digits.isEmpty() ? 0 : Integer.parseInt(digits);
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  private static Keycloak start(Path home, Path realm, Path javaHome)
      throws IOException, InterruptedException {
    Path target = Path.of("target").toAbsolutePath();
    Path data = home.resolve("data");
    deleteTree(data);
    Files.createDirectories(data.resolve("import"));
    Files.copy(realm, data.resolve("import").resolve(realm.getFileName()));
    Path tmp = target.resolve("keycloak-tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    Path log = target.resolve("keycloak.log");

    int port = freePort();
    int management = freePort();
    while (management == port) {
      management = freePort();
    }
    String adminPassword = random();
    ProcessBuilder builder =
        new ProcessBuilder(
                "/bin/sh",
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + management,
                "--health-enabled=true",
                "--hostname-strict=false",
                "--import-realm")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    // Settings of a Keycloak the developer runs by hand must not leak into this one.
    env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("JAVA_OPTS"));
    env.remove("DEBUG");
    env.remove("DEBUG_PORT");
    env.put("JAVA_HOME", javaHome.toString());
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    env.put("KC_CACHE", "local");
    env.put("KC_LOG_CONSOLE_COLOR", "false");
    // Keycloak writes to /tmp/uploads and /tmp/vertx-cache unless told otherwise. Only the first
    // JIT tier: starting takes a quarter less CPU, and tests are too short for the second to pay.
    env.put("JAVA_OPTS_APPEND", "-Djava.io.tmpdir=" + tmp + " -Xmx512m -XX:TieredStopAtLevel=1");

    long started = System.nanoTime();
    Process process = builder.start();
    Keycloak keycloak =
        new Keycloak(process, log, URI.create("http://127.0.0.1:" + port + "/"), adminPassword);
    Runtime.getRuntime().addShutdownHook(new Thread(keycloak::stop, "keycloak-stop"));
    try {
      keycloak.awaitRealm();
      keycloak.startedIn = Duration.ofNanos(System.nanoTime() - started);
      keycloak.prepare();
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      keycloak.stop();
      throw e;
    }
    System.out.printf(
        "Keycloak (Java %d from %s) answered at %s after %.1f s%n",
        javaVersion(javaHome), javaHome, keycloak.base, keycloak.startedIn.toMillis() / 1000.0);
    return keycloak;
  }

  private void awaitRealm() throws IOException, InterruptedException {
    URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
    Instant deadline = Instant.now().plus(START_LIMIT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "Keycloak ended with exit code " + process.exitValue() + " while starting:\n" + tail());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "Keycloak's realm " + REALM + " did not answer within " + START_LIMIT + ":\n" + tail());
  }

  /** Known secrets for the shipped clients, and the test-only clients. */
  private void prepare() {
    clientSecret = random();
    setSecret(berthClient(), clientSecret);
    automationSecret = random();
    setSecret(clientUuid(AUTOMATION_CLIENT_ID), automationSecret);
    admin("POST", "clients", testClient(TEST_CLIENT_ID, true));
    admin("POST", "clients", testClient(OTHER_TEST_CLIENT_ID, false));
  }

  private void setSecret(String clientUuid, String secret) {
    JsonObject client = admin("GET", "clients/" + clientUuid, null).asJsonObject();
    admin(
        "PUT",
        "clients/" + clientUuid,
        Json.createObjectBuilder(client).add("secret", secret).build());
  }

  /**
   * A public client allowing the password grant. Its default scopes leave out {@code roles}: that
   * scope's audience resolver would put {@code berth} into every token of a user with a {@code
   * berth} role.
   */
  private static JsonObject testClient(String clientId, boolean berthAudience) {
    JsonArrayBuilder mappers =
        Json.createArrayBuilder()
            .add(
                Json.createObjectBuilder()
                    .add("name", "berth client roles")
                    .add("protocol", "openid-connect")
                    .add("protocolMapper", "oidc-usermodel-client-role-mapper")
                    .add(
                        "config",
                        Json.createObjectBuilder()
                            .add("usermodel.clientRoleMapping.clientId", CLIENT_ID)
                            .add("claim.name", "resource_access.${client_id}.roles")
                            .add("jsonType.label", "String")
                            .add("multivalued", "true")
                            .add("id.token.claim", "true")
                            .add("access.token.claim", "true")
                            .add("userinfo.token.claim", "true")));
    if (berthAudience) {
      mappers.add(
          Json.createObjectBuilder()
              .add("name", "berth audience")
              .add("protocol", "openid-connect")
              .add("protocolMapper", "oidc-audience-mapper")
              .add(
                  "config",
                  Json.createObjectBuilder()
                      .add("included.client.audience", CLIENT_ID)
                      .add("id.token.claim", "false")
                      .add("access.token.claim", "true")));
    }
    return Json.createObjectBuilder()
        .add("clientId", clientId)
        .add("name", "Berth tests")
        .add("enabled", true)
        .add("protocol", "openid-connect")
        .add("publicClient", true)
        .add("standardFlowEnabled", false)
        .add("implicitFlowEnabled", false)
        .add("directAccessGrantsEnabled", true)
        .add("serviceAccountsEnabled", false)
        .add("fullScopeAllowed", true)
        .add("protocolMappers", mappers)
        .add("defaultClientScopes", Json.createArrayBuilder(List.of("basic", "profile", "email")))
        .add("optionalClientScopes", JsonValue.EMPTY_JSON_ARRAY)
        .build();
  }

  private synchronized String berthClient() {
    if (berthClient == null) {
      berthClient = clientUuid(CLIENT_ID);
    }
    return berthClient;
  }

  private String clientUuid(String clientId) {
    JsonArray found = admin("GET", "clients?clientId=" + encode(clientId), null).asJsonArray();
    if (found.isEmpty()) {
      throw new AssertionError("realm " + REALM + " has no client " + clientId);
    }
    return found.getJsonObject(0).getString("id");
  }

  private String userId(String username) {
    JsonArray found =
        admin("GET", "users?exact=true&username=" + encode(username), null).asJsonArray();
    if (found.isEmpty()) {
      throw new AssertionError("realm " + REALM + " has no user " + username);
    }
    return found.getJsonObject(0).getString("id");
  }

  private static String accessToken(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "the token endpoint answered " + response.statusCode() + ": " + response.body());
    }
    return parse(response.body()).asJsonObject().getString("access_token");
  }

  private HttpResponse<String> token(Map<String, String> form, String clientId, String secret) {
    Map<String, String> fields = new LinkedHashMap<>(form);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/token"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (secret == null) {
      fields.put("client_id", clientId);
    } else {
      request.header("Authorization", Http.basic(encode(clientId), encode(secret)));
    }
    return send(request.POST(HttpRequest.BodyPublishers.ofString(form(fields))).build());
  }

  /** An admin API call on realm {@code berth}; its JSON answer, or null when it has none. */
  private JsonValue admin(String method, String path, JsonStructure body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "admin/realms/" + REALM + "/" + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + adminToken())
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError(
          method
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response.body().isBlank() ? null : parse(response.body());
  }

  /** A token of the bootstrap admin; master's tokens live a minute, so it is renewed early. */
  private synchronized String adminToken() {
    if (adminToken == null || Instant.now().isAfter(adminTokenExpires)) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "password");
      form.put("client_id", "admin-cli");
      form.put("username", ADMIN);
      form.put("password", adminPassword);
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(
                      URI.create(base + "realms/master/protocol/openid-connect/token"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form(form)))
                  .build());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            "no admin token: " + response.statusCode() + ": " + response.body());
      }
      JsonObject token = parse(response.body()).asJsonObject();
      adminToken = token.getString("access_token");
      adminTokenExpires = Instant.now().plusSeconds(Math.max(5, token.getInt("expires_in") - 15));
    }
    return adminToken;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request to " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Stops Keycloak and every process below it: {@code kc.sh} runs Keycloak's java as a child (or
   * replaces itself with it after a rebuild). The tree is taken before anything is stopped, since
   * orphans are no longer descendants.
   */
  private void stop() {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(STOP_LIMIT);
    for (ProcessHandle p : tree) {
      long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
      try {
        p.onExit().get(left, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }

  private String tail() {
    String all = log();
    return all.length() <= 6000 ? all : all.substring(all.length() - 6000);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static JsonValue parse(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readValue();
    }
  }

  private static List<String> strings(JsonArray array) {
    return array == null
        ? List.of()
        : array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }

  private static JsonArray array(List<JsonObject> objects) {
    JsonArrayBuilder builder = Json.createArrayBuilder();
    objects.forEach(builder::add);
    return builder.build();
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static void keepCookies(HttpResponse<?> response, Map<String, String> cookies) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0) {
        cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
  }

  private static String cookieHeader(Map<String, String> cookies) {
    return cookies.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
