package org.berth.access.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.berth.testing.Curl.Answer;
import org.berth.testing.PayaraProcess;
import org.berth.testing.RequiredProgram;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.Test;

/**
 * {@link CaddyRoutes} against a real Caddy that runs the shipped {@code deploy/caddy/caddy.json},
 * with only its placeholders substituted: the admin address and the listen addresses (free loopback
 * ports instead of 127.0.0.1:2019, :443 and :80), the test certificate and the test domain. Caddy
 * keeps its data and autosave in the test's directory.
 */
@Standalone
class CaddyRoutesIT extends ProxyRoutesContract {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String SERVER = "berth";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private Path home;
  private Path log;
  private int adminPort;
  private int httpsPort;
  private int httpPort;
  private Process caddy;
  private CaddyRoutes writer;

  @Override
  String topologyPrefix() {
    return "bpc";
  }

  @Override
  int topologyNetwork() {
    return 78;
  }

  @Override
  void startProxy() throws Exception {
    Path caddyProgram = RequiredProgram.CADDY.require();
    home = Files.createDirectories(dir.resolve("caddy"));
    log = home.resolve("caddy.log");
    adminPort = PayaraProcess.freePort();
    httpsPort = PayaraProcess.freePort();
    httpPort = PayaraProcess.freePort();

    String config = Files.readString(Path.of("deploy/caddy/caddy.json"));
    config = substitute(config, "\"127.0.0.1:2019\"", "\"127.0.0.1:" + adminPort + "\"");
    config = substitute(config, "\":443\"", "\"127.0.0.1:" + httpsPort + "\"");
    config = substitute(config, "\":80\"", "\"127.0.0.1:" + httpPort + "\"");
    config = substitute(config, "/etc/ssl/berth/guests.crt", certificate.toString());
    config = substitute(config, "/etc/ssl/berth/guests.key", key.toString());
    config = substitute(config, "guests.example.org", DOMAIN);
    Path configFile = home.resolve("caddy.json");
    Files.writeString(configFile, config);

    ProcessBuilder builder =
        new ProcessBuilder(caddyProgram.toString(), "run", "--config", configFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.put("XDG_DATA_HOME", home.resolve("data").toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    caddy = builder.start();
    awaitPort(adminPort, caddy, log);
    awaitPort(httpsPort, caddy, log);
    writer = new CaddyRoutes(adminUrl(), SERVER, TIMEOUT);
  }

  private URI adminUrl() {
    return URI.create("http://127.0.0.1:" + adminPort);
  }

  @Override
  void stopProxy() throws Exception {
    stop(caddy);
  }

  @Override
  ProxyRoutes writer() {
    return writer;
  }

  @Override
  int httpsPort() {
    return httpsPort;
  }

  /** Caddy's whole running configuration. */
  @Override
  Object proxyState() throws Exception {
    return admin("GET", "/config/", null);
  }

  private JsonValue admin(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(adminUrl() + path)).timeout(TIMEOUT);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
    return response.body().isBlank()
        ? JsonValue.NULL
        : Json.createReader(new StringReader(response.body())).readValue();
  }

  private JsonArray serverRoutes() throws Exception {
    return admin("GET", "/config/apps/http/servers/" + SERVER + "/routes", null).asJsonArray();
  }

  private List<String> routeIds() throws Exception {
    return serverRoutes().stream().map(route -> route.asJsonObject().getString("@id", "")).toList();
  }

  @Test
  void keepsExactlyOneRoutePerIdBeforeTheCatchAll() throws Exception {
    Route route = new Route(51, "single." + DOMAIN, guestA.address(), 8080);

    writer.put(route);
    writer.put(route);
    writer.put(new Route(51, "single." + DOMAIN, guestB.address(), 8080));
    writer.put(new Route(52, "other." + DOMAIN, guestB.address(), 8080));

    assertThat(routeIds()).containsExactly("berth-52", "berth-51", "unknown-guest-name");
    assertThat(serverRoutes().get(1))
        .isEqualTo(CaddyRoutes.toJson(new Route(51, "single." + DOMAIN, guestB.address(), 8080)));
  }

  @Test
  void writesTheRouteCaddyDocuments() {
    assertThat(CaddyRoutes.toJson(new Route(42, "web.guests.example.org", "10.77.0.5", 8080)))
        .isEqualTo(
            Json.createReader(
                    new StringReader(
                        "{\"@id\":\"berth-42\",\"match\":[{\"host\":[\"web.guests.example.org\"]}],"
                            + "\"handle\":[{\"handler\":\"reverse_proxy\","
                            + "\"upstreams\":[{\"dial\":\"10.77.0.5:8080\"}]}],\"terminal\":true}"))
                .readObject());
  }

  @Test
  void collapsesCopiesOfARouteLeftByAnotherWriter() throws Exception {
    Route route = new Route(53, "copied." + DOMAIN, guestA.address(), 8080);
    writer.put(route);
    // A second Berth instance racing this one could append the same route again.
    admin(
        "POST",
        "/config/apps/http/servers/" + SERVER + "/routes",
        CaddyRoutes.toJson(route).toString());
    assertThat(routeIds()).containsExactly("berth-53", "unknown-guest-name", "berth-53");

    assertThat(writer.put(route)).isTrue();
    assertThat(routeIds()).containsExactly("berth-53", "unknown-guest-name");

    admin(
        "POST",
        "/config/apps/http/servers/" + SERVER + "/routes",
        CaddyRoutes.toJson(route).toString());
    assertThat(writer.remove(53)).isTrue();
    assertThat(routeIds()).containsExactly("unknown-guest-name");
    assertThat(awaitAnswer("copied", 404).status()).isEqualTo(404);
  }

  @Test
  void addsTheFirstRouteToAServerWithoutRoutes() throws Exception {
    JsonValue before = admin("GET", "/config/apps/http/servers/" + SERVER + "/routes", null);
    try {
      admin("DELETE", "/config/apps/http/servers/" + SERVER + "/routes", null);

      writer.put(new Route(54, "first." + DOMAIN, guestA.address(), 8080));
      assertThat(routeIds()).containsExactly("berth-54");
      assertThat(writer.routes()).containsExactly(54L);
      assertThat(get("first")).isEqualTo(new Answer(200, BODY_A));

      writer.remove(54);
      writer.put(new Route(55, "second." + DOMAIN, guestB.address(), 8080));
      assertThat(routeIds()).containsExactly("berth-55");
      assertThat(get("second")).isEqualTo(new Answer(200, BODY_B));
    } finally {
      String routes = "/config/apps/http/servers/" + SERVER + "/routes";
      boolean present = admin("GET", routes, null).getValueType() != JsonValue.ValueType.NULL;
      admin(present ? "PATCH" : "PUT", routes, before.toString());
    }
  }

  @Test
  void anUnreachableAdminApiIsATransientFailure() throws IOException {
    int closed = PayaraProcess.freePort(); // nothing listens there
    CaddyRoutes unreachable =
        new CaddyRoutes(URI.create("http://127.0.0.1:" + closed), SERVER, TIMEOUT);

    for (Runnable call :
        List.<Runnable>of(
            () -> unreachable.put(new Route(56, "away." + DOMAIN, guestA.address(), 8080)),
            () -> unreachable.remove(56),
            unreachable::routes)) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              ProxyFailure.class, failure -> assertThat(failure.transientFailure()).isTrue())
          .hasMessageContaining("unreachable")
          .hasMessageContaining("127.0.0.1:" + closed);
    }
  }

  @Test
  void aMissingServerIsNamedAndNotTransient() throws Exception {
    Object before = proxyState();
    CaddyRoutes wrongServer = new CaddyRoutes(adminUrl(), "guests", TIMEOUT);

    assertThatThrownBy(
            () -> wrongServer.put(new Route(57, "lost." + DOMAIN, guestA.address(), 8080)))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.transientFailure()).isFalse())
        .hasMessageContaining("'guests'")
        .hasMessageContaining("deploy/caddy");
    assertThatThrownBy(wrongServer::routes).isInstanceOf(ProxyFailure.class);

    assertThat(proxyState()).isEqualTo(before);
  }

  @Test
  void redirectsPlainHttpToHttps() {
    Answer answer =
        curl(
            "-D",
            "-",
            "--resolve",
            "plain." + DOMAIN + ":" + httpPort + ":127.0.0.1",
            "http://plain." + DOMAIN + ":" + httpPort + "/some/path?q=1");

    assertThat(answer.status()).isEqualTo(301);
    assertThat(answer.body())
        .containsIgnoringCase("location: https://plain." + DOMAIN + "/some/path?q=1\r\n");
  }

  @Test
  void refusesAServerNameThatCouldLeaveItsPath() {
    for (String name : List.of("", "berth/../..", "a b", "berth?x=1")) {
      assertThatThrownBy(() -> new CaddyRoutes(adminUrl(), name, TIMEOUT))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
