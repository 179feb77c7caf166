package org.berth.hypervisor.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;

/** A plain HTTP client of the simulated cluster, as Berth's adapter would talk to Proxmox. */
final class ProxmoxClient {

  /** One answer: the status and the JSON body. */
  record Reply(int status, JsonObject body) {
    JsonValue data() {
      return body.get("data");
    }

    String text() {
      return body.getString("data");
    }

    JsonObject object() {
      return body.getJsonObject("data");
    }

    String message() {
      return body.getString("message", null);
    }

    JsonObject errors() {
      return body.getJsonObject("errors");
    }
  }

  private final HttpClient http;
  private final URI base;
  private final String authorization;
  private final String[] headers;

  ProxmoxClient(HttpClient http, URI url, String authorization, String... headers) {
    this.http = http;
    this.base = url;
    this.authorization = authorization;
    this.headers = headers;
  }

  ProxmoxClient(URI url, String authorization) {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), url, authorization);
  }

  ProxmoxClient withAuthorization(String authorization) {
    return new ProxmoxClient(http, base, authorization);
  }

  /** The same cluster, without the token, sending these headers (name, value, ...) instead. */
  ProxmoxClient withHeaders(String... headers) {
    return new ProxmoxClient(http, base, null, headers);
  }

  Reply get(String path, String... query) throws IOException {
    String q = form(query);
    return send("GET", path + (q.isEmpty() ? "" : "?" + q), null);
  }

  Reply delete(String path, String... query) throws IOException {
    String q = form(query);
    return send("DELETE", path + (q.isEmpty() ? "" : "?" + q), null);
  }

  Reply post(String path, String... parameters) throws IOException {
    return send("POST", path, form(parameters));
  }

  Reply put(String path, String... parameters) throws IOException {
    return send("PUT", path, form(parameters));
  }

  /** Starts a task and waits until it has stopped; answers its final status. */
  JsonObject finish(Reply started) throws IOException {
    assertThat(started.status()).as(started.body().toString()).isEqualTo(200);
    String upid = started.text();
    String node = upid.split(":")[1];
    Instant deadline = Instant.now().plusSeconds(5);
    while (true) {
      Reply status = get("/nodes/" + node + "/tasks/" + upid + "/status");
      assertThat(status.status()).isEqualTo(200);
      if (status.object().getString("status").equals("stopped")) {
        return status.object();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("task " + upid + " did not stop");
      }
      sleep(20);
    }
  }

  Reply send(String method, String path, String body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api2/json" + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
        return new Reply(response.statusCode(), reader.readObject());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Form-encodes name/value pairs, as a browser or Proxmox's own clients do. */
  static String form(String... pairs) {
    StringJoiner out = new StringJoiner("&");
    for (int i = 0; i < pairs.length; i += 2) {
      out.add(
          URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)
              + "="
              + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted"));
    }
  }
}
