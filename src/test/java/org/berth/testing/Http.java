package org.berth.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A small HTTP client for tests against a running Berth: API calls with Basic credentials, and a
 * browser-like session (cookies, the sign-in form) for pages. Redirects are not followed, so tests
 * see them.
 *
 * <p>Every {@code /api} call it makes is held to the API's description, the OpenAPI document the
 * Berth serves at {@code /openapi} ({@link ApiContract}): an answer with a status or body the
 * document does not give for the operation, or an accepted request the document does not allow,
 * fails the test that made it.
 */
public final class Http {

  private static final Pattern VIEW_STATE =
      Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]*)\"");

  private static final HttpClient NO_COOKIES =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI base;
  private final HttpClient client;

  /**
   * Sends {@code method path} under {@code base} with this {@code Authorization} header (none when
   * null) and a JSON body (none when null), keeping no cookies, and without holding the exchange to
   * the API's description: for tests of credentials and callers the description does not cover.
   */
  public static HttpResponse<String> raw(
      URI base, String method, String path, String authorization, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      return NO_COOKIES.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * @param base the application's root, ending in a slash
   */
  public Http(URI base) {
    this.base = base;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * A client for an Arquillian deployment. Arquillian reports the machine's outside address; the
   * tests talk to loopback only.
   */
  public static Http forDeployment(java.net.URL deployment) {
    return new Http(URI.create("http://localhost:" + deployment.getPort() + deployment.getPath()));
  }

  /**
   * Waits until the ledger is indexed (and, with {@code templates}, the demo templates are seeded):
   * what a freshly started Berth does in the background.
   */
  public void awaitLedger(boolean templates) {
    Await.until(
        "the ledger" + (templates ? " and the templates" : "") + " to be ready",
        java.time.Duration.ofSeconds(60),
        () -> {
          HttpResponse<String> status = get("api/ledger/status", "admin", "admin");
          return status.statusCode() == 200
              && !json(status).isNull("indexedCommit")
              && (!templates
                  || get("api/templates", "alice", "alice").body().contains("debian-12"));
        },
        ready -> ready);
  }

  /** Waits until readiness says UP: the database migrated and the ledger read. */
  public void awaitReady() {
    Await.until(
        "readiness to say UP",
        java.time.Duration.ofSeconds(60),
        () -> get("health/ready"),
        r -> r.statusCode() == 200);
  }

  public URI uri(String path) {
    return base.resolve(path);
  }

  public HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  public HttpResponse<String> get(String path, String user, String password) {
    return send(request(path).header("Authorization", basic(user, password)).GET().build());
  }

  public HttpResponse<String> post(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Calls the API as {@code user} with a JSON body (or none when {@code json} is null). */
  public HttpResponse<String> call(
      String method, String path, String user, String password, String json) {
    return send(
        request(path)
            .header("Authorization", basic(user, password))
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /**
   * Gives {@code user} room for far more guests than a test files (as the demo admin), so that test
   * classes sharing the database do not run into the default quota.
   */
  public void roomFor(String user) {
    HttpResponse<String> r =
        call(
            "PUT",
            "api/quotas/" + user,
            "admin",
            "admin",
            "{\"guests\":100,\"cores\":1000,\"memoryMiB\":1000000,\"diskGiB\":100000}");
    if (r.statusCode() != 200) {
      throw new AssertionError("raising the quota of " + user + " failed: " + r.body());
    }
  }

  /**
   * Submits a request as {@code user} (demo password = user name) with one key and a five-day
   * lease; {@code network} is the request's network object in JSON. Asserts 201.
   */
  public JsonObject submit(
      String user, String kind, String name, String template, String network, String key) {
    String body =
        Json.createObjectBuilder()
            .add("kind", kind)
            .add("name", name)
            .add("template", template)
            .add("cores", 1)
            .add("memoryMiB", 1024)
            .add("diskGiB", 10)
            .add("network", Json.createReader(new StringReader(network)).readObject())
            .add("sshKeys", Json.createArrayBuilder().add(key))
            .add("leaseDays", 5)
            .add("purpose", "tests")
            .build()
            .toString();
    HttpResponse<String> r = call("POST", "api/requests", user, user, body);
    if (r.statusCode() != 201) {
      throw new AssertionError("submitting " + name + " gave " + r.statusCode() + ": " + r.body());
    }
    return json(r);
  }

  /**
   * Waits until request {@code id} is in {@code state} (as {@code user}); fails at once when it
   * settles in another final state, with the request and its guest log.
   */
  public JsonObject awaitRequest(String user, long id, String state) {
    return Await.until(
        "request " + id + " to become " + state,
        java.time.Duration.ofSeconds(90),
        () -> json(get("api/requests/" + id, user, user)),
        r -> {
          String now = r.getString("state");
          if (!now.equals(state) && java.util.Set.of("READY", "FAILED", "DELETED").contains(now)) {
            throw new AssertionError(
                "request "
                    + id
                    + " is "
                    + now
                    + ", not "
                    + state
                    + ": "
                    + r
                    + "\nlog: "
                    + get("api/requests/" + id + "/guest", user, user).body());
          }
          return now.equals(state);
        });
  }

  /** Signs each of the demo's {@code users} in once, so that Berth knows them as people. */
  public Http seenOnce(String... users) {
    for (String user : users) {
      get("api/me", user, user);
    }
    return this;
  }

  /** Deletes request {@code id} as {@code user} and waits until it is DELETED. */
  public JsonObject deleteRequest(String user, long id) {
    HttpResponse<String> r = call("DELETE", "api/requests/" + id, user, user, null);
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "deleting request " + id + " gave " + r.statusCode() + ": " + r.body());
    }
    return awaitRequest(user, id, "DELETED");
  }

  /** Signs in through the sign-in page, as a browser would; returns the final response. */
  public HttpResponse<String> signIn(String user, String password) {
    HttpResponse<String> page = get("login.xhtml");
    Matcher viewState = VIEW_STATE.matcher(page.body());
    if (!viewState.find()) {
      throw new AssertionError("the sign-in page has no form:\n" + page.body());
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("login", "login");
    form.put("login:username", user);
    form.put("login:password", password);
    form.put("login:submit", "");
    form.put("jakarta.faces.ViewState", viewState.group(1));
    return post("login.xhtml", form);
  }

  public static JsonObject json(HttpResponse<String> response) {
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readObject();
    }
  }

  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
  }

  /**
   * Sends {@code request} and, for an {@code /api} call, checks the exchange against the API's
   * description.
   */
  public HttpResponse<String> send(HttpRequest request) {
    HttpResponse<String> response = exchange(request);
    String api = apiPath(request.uri());
    if (api != null) {
      ApiContract.of(base, client).check(api, request, response);
    }
    return response;
  }

  /**
   * Sends a request that is malformed on purpose to an endpoint that may still accept it (one that
   * reads its body itself and ignores what it cannot use): only the answer is held to the API's
   * description, whatever its status. Every other call goes through {@link #send}.
   */
  public HttpResponse<String> sendMalformed(HttpRequest request) {
    HttpResponse<String> response = exchange(request);
    String api = apiPath(request.uri());
    if (api != null) {
      ApiContract.of(base, client).checkAnswer(api, request, response);
    }
    return response;
  }

  /** The path of {@code uri} below the application when it is an {@code /api} call, else null. */
  private String apiPath(URI uri) {
    URI relative = base.relativize(uri);
    if (relative.isAbsolute() || relative.getRawPath() == null) {
      return null;
    }
    String path = relative.getRawPath();
    return path.equals("api") || path.startsWith("api/") ? "/" + path : null;
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request to " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
