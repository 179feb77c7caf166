package org.berth.access.proxy;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes in a running Caddy, changed through its admin API: each route is an element of the
 * server's {@code routes} array tagged {@code "@id": "berth-<request id>"}, matching its host and
 * reverse-proxying to the guest. New routes go to the front of the array, before any catch-all the
 * operator keeps at its end. Caddy applies each change at once and keeps its last configuration in
 * its autosave file ({@code caddy run --resume}); see {@code deploy/caddy/README.md}.
 *
 * <p>Caddy's {@code @id} index does not prevent duplicates (a second insert with the same id adds a
 * second route), so every call reads the server's routes first: {@link #put} changes a present
 * route in place ({@code PATCH /id/<id>}), {@link #remove} deletes until no copy is left, and a
 * route found more than once is replaced by a single one. Changes through one writer are
 * serialised.
 */
public final class CaddyRoutes implements ProxyRoutes {

  /** A repeatable call is sent at most this often when connections are closed under it. */
  private static final int SEND_ATTEMPTS = 3;

  private static final Logger LOG = Logger.getLogger(CaddyRoutes.class.getName());

  private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern ROUTE_ID = Pattern.compile("berth-(\\d{1,18})");
  private static final int MAX_MESSAGE = 240;

  /** More copies of one id than this means something else keeps adding them. */
  private static final int MAX_COPIES = 100;

  private final URI adminUrl;
  private final String serverName;
  private final Duration timeout;
  private final HttpClient client;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param adminUrl Caddy's admin endpoint, such as {@code http://127.0.0.1:2019}
   * @param serverName the HTTP server in Caddy's configuration that holds the guests' routes
   *     ({@code berth} in {@code deploy/caddy/caddy.json})
   * @param timeout for connecting and for each request
   */
  public CaddyRoutes(URI adminUrl, String serverName, Duration timeout) {
    if (adminUrl == null
        || !("http".equals(adminUrl.getScheme()) || "https".equals(adminUrl.getScheme()))
        || adminUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "Caddy's admin URL must be an http or https URL such as http://127.0.0.1:2019");
    }
    if (serverName == null || !SERVER_NAME.matcher(serverName).matches()) {
      throw new IllegalArgumentException(
          "the Caddy server name must be letters, digits, '_', '.' or '-'");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive");
    }
    String base = adminUrl.toString();
    this.adminUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.serverName = serverName;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @Override
  public String description() {
    return "Caddy server '" + serverName + "' at " + adminUrl;
  }

  @Override
  public boolean put(Route route) {
    JsonObject wanted = toJson(route);
    lock.lock();
    try {
      List<JsonObject> copies = copiesOf(route.id(), serverRoutes().routes());
      if (copies.size() == 1 && copies.get(0).equals(wanted)) {
        return false;
      }
      if (copies.size() == 1) {
        send("PATCH", "/id/" + route.id(), wanted, 200);
        LOG.log(
            Level.INFO,
            "Caddy route {0} changed: {1} -> {2}",
            new Object[] {route.id(), route.host(), route.upstream()});
        return true;
      }
      if (copies.size() > 1) {
        // One copy stays while the others go, so the name is served throughout.
        for (int i = 1; i < copies.size(); i++) {
          send("DELETE", "/id/" + route.id(), null, 200);
        }
        send("PATCH", "/id/" + route.id(), wanted, 200);
        LOG.log(
            Level.INFO,
            "Caddy route {0} collapsed from {1} copies: {2} -> {3}",
            new Object[] {route.id(), copies.size(), route.host(), route.upstream()});
        return true;
      }
      insertFirst(wanted, serverRoutes());
      LOG.log(
          Level.INFO,
          "Caddy route {0} added: {1} -> {2}",
          new Object[] {route.id(), route.host(), route.upstream()});
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean remove(long requestId) {
    String id = Route.idOf(requestId);
    lock.lock();
    try {
      if (copiesOf(id, serverRoutes().routes()).isEmpty()) {
        return false;
      }
      deleteAll(id);
      LOG.log(Level.INFO, "Caddy route {0} removed", id);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Set<Long> routes() {
    Set<Long> ids = new TreeSet<>();
    for (JsonValue value : serverRoutes().routes()) {
      Matcher m = ROUTE_ID.matcher(idOf(value));
      if (m.matches()) {
        ids.add(Long.parseLong(m.group(1)));
      }
    }
    return ids;
  }

  /** The route as Caddy's JSON configuration holds it. */
  static JsonObject toJson(Route route) {
    return Json.createObjectBuilder()
        .add("@id", route.id())
        .add(
            "match",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("host", Json.createArrayBuilder().add(route.host()))))
        .add(
            "handle",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("handler", "reverse_proxy")
                        .add(
                            "upstreams",
                            Json.createArrayBuilder()
                                .add(Json.createObjectBuilder().add("dial", route.upstream())))))
        .add("terminal", true)
        .build();
  }

  private String serverPath() {
    return "/config/apps/http/servers/" + serverName;
  }

  /**
   * The server's routes, and whether it has a routes array at all.
   *
   * @param routes the array, empty if there is none
   */
  private record ServerRoutes(JsonArray routes, boolean arrayExists) {}

  /** The server's routes; fails if Caddy has no such server. */
  private ServerRoutes serverRoutes() {
    JsonValue server = parse(send("GET", serverPath(), null, 200));
    if (server.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new ProxyFailure(
          "Caddy at "
              + adminUrl
              + " has no HTTP server '"
              + serverName
              + "' (apps.http.servers."
              + serverName
              + "); load deploy/caddy/caddy.json or set the server name Berth uses",
          false);
    }
    JsonValue routes = server.asJsonObject().get("routes");
    if (routes == null || routes.getValueType() == JsonValue.ValueType.NULL) {
      return new ServerRoutes(JsonValue.EMPTY_JSON_ARRAY, false);
    }
    if (routes.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new ProxyFailure(
          "Caddy server '" + serverName + "' has routes that are not an array", false);
    }
    return new ServerRoutes(routes.asJsonArray(), true);
  }

  private static List<JsonObject> copiesOf(String id, JsonArray routes) {
    return routes.stream()
        .filter(value -> id.equals(idOf(value)))
        .map(JsonValue::asJsonObject)
        .toList();
  }

  private static String idOf(JsonValue route) {
    if (route.getValueType() == JsonValue.ValueType.OBJECT
        && route.asJsonObject().get("@id") instanceof JsonString id) {
      return id.getString();
    }
    return "";
  }

  /**
   * Inserts at index 0 of the routes array ({@code PUT .../routes/0} inserts there in Caddy's API).
   * Caddy refuses index 0 of an empty array, so a first route is appended ({@code POST}) and a
   * missing array is created ({@code PUT .../routes}).
   */
  private void insertFirst(JsonObject route, ServerRoutes current) {
    if (!current.routes().isEmpty()) {
      send("PUT", serverPath() + "/routes/0", route, 200);
    } else if (current.arrayExists()) {
      send("POST", serverPath() + "/routes", route, 200);
    } else {
      send("PUT", serverPath() + "/routes", Json.createArrayBuilder().add(route).build(), 200);
    }
  }

  /** Deletes every copy of a route: Caddy's {@code DELETE /id/} removes one at a time. */
  private void deleteAll(String id) {
    for (int i = 0; i < MAX_COPIES; i++) {
      // Deleting until Caddy has no copy left: a DELETE sent twice takes nothing more away.
      HttpResponse<String> response = exchange("DELETE", "/id/" + id, null, true);
      if (response.statusCode() == 404) {
        return;
      }
      check(response, "DELETE", "/id/" + id, 200);
    }
    throw new ProxyFailure(
        "Caddy still holds route " + id + " after deleting it " + MAX_COPIES + " times", true);
  }

  /** A call whose answer must be {@code expected}; reads and replacements by id may be repeated. */
  private String send(String method, String path, JsonValue body, int expected) {
    boolean repeatable = method.equals("GET") || method.equals("PATCH");
    HttpResponse<String> response = exchange(method, path, body, repeatable);
    check(response, method, path, expected);
    return response.body();
  }

  /**
   * Sends a repeatable call once more when a kept-alive connection turns out closed under it, as
   * Caddy closes its admin connections when its configuration changes. A call that adds a route is
   * never repeated here: if Caddy took it before the connection closed, a second would add a copy;
   * the route job's own retry, which reads Caddy's routes first, puts it right instead.
   */
  private HttpResponse<String> send(HttpRequest request, boolean repeatable)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (!repeatable
            || attempt == SEND_ATTEMPTS
            || e instanceof java.net.ConnectException
            || e instanceof java.net.http.HttpTimeoutException) {
          throw e;
        }
      }
    }
  }

  private HttpResponse<String> exchange(
      String method, String path, JsonValue body, boolean repeatable) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(adminUrl + path))
            .timeout(timeout)
            .header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      // Caddy's admin API refuses changes without this content type.
      request
          .header("Content-Type", "application/json")
          .method(
              method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }
    try {
      return send(request.build(), repeatable);
    } catch (IOException e) {
      throw new ProxyFailure(
          "Caddy's admin API at "
              + adminUrl
              + " is unreachable: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          true,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProxyFailure("interrupted while calling Caddy at " + adminUrl, true, e);
    }
  }

  private void check(HttpResponse<String> response, String method, String path, int expected) {
    int status = response.statusCode();
    if (status == expected) {
      return;
    }
    String message =
        "Caddy answered " + method + " " + path + " with " + status + ": " + errorOf(response);
    throw new ProxyFailure(message, status >= 500);
  }

  /** Caddy's {@code {"error": "..."}}, or the start of the body, cut short. */
  private static String errorOf(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body().strip();
    String message = body;
    try {
      JsonValue value = parse(body);
      if (value.getValueType() == JsonValue.ValueType.OBJECT
          && value.asJsonObject().get("error") instanceof JsonString error) {
        message = error.getString();
      }
    } catch (ProxyFailure notJson) {
      // keep the body as it is
    }
    message = message.lines().findFirst().orElse("(no body)");
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
  }

  private static JsonValue parse(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readValue();
    } catch (JsonException | IllegalStateException e) {
      throw new ProxyFailure("Caddy answered with JSON Berth cannot read", true, e);
    }
  }
}
