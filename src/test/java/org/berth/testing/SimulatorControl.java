package org.berth.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** The control API of a simulated Proxmox cluster that runs in another process. */
public final class SimulatorControl {

  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  public SimulatorControl(URI base) {
    this.base = base;
  }

  public JsonObject state() {
    return object(send("GET", "simulator/state", null));
  }

  public List<JsonObject> guests() {
    return state().getJsonArray("guests").getValuesAs(JsonObject.class);
  }

  public Optional<JsonObject> guest(int vmid) {
    return guests().stream().filter(g -> g.getInt("vmid") == vmid).findFirst();
  }

  public List<JsonObject> guestsOf(long request) {
    return guests().stream()
        .filter(
            g ->
                g.containsKey("tags")
                    && g.getJsonArray("tags").getValuesAs(jakarta.json.JsonString.class).stream()
                        .anyMatch(t -> t.getString().equals("berth-request-" + request)))
        .toList();
  }

  /** Injects a fault: {@code kind} as the control API names it. */
  public void fault(String kind, String method, String path, int times, String message) {
    fault(kind, method, path, times, message, 0);
  }

  public void fault(
      String kind, String method, String path, int times, String message, double delaySeconds) {
    var body =
        Json.createObjectBuilder()
            .add("kind", kind)
            .add("method", method)
            .add("path", path)
            .add("times", times);
    if (message != null) {
      body.add("message", message);
    }
    if (delaySeconds > 0) {
      body.add("delaySeconds", delaySeconds);
    }
    expect(send("POST", "simulator/faults", body.build().toString()), 200, 201, 204);
  }

  public void clearFaults() {
    expect(send("DELETE", "simulator/faults", null), 200, 204);
  }

  public void nodeDown(String node) {
    expect(send("POST", "simulator/nodes/" + node + "/down", ""), 200, 204);
  }

  public void nodeUp(String node) {
    expect(send("POST", "simulator/nodes/" + node + "/up", ""), 200, 204);
  }

  public void foreignGuest(int vmid, String node, String type, String name) {
    String body =
        Json.createObjectBuilder()
            .add("vmid", vmid)
            .add("node", node)
            .add("type", type)
            .add("name", name)
            .build()
            .toString();
    expect(send("POST", "simulator/guests", body), 200, 201);
  }

  /** Changes config keys of a guest behind Berth's back, as a change made on the guest would. */
  public void editConfig(int vmid, java.util.Map<String, String> changes) {
    jakarta.json.JsonObjectBuilder body = Json.createObjectBuilder();
    changes.forEach(body::add);
    expect(send("PUT", "simulator/guests/" + vmid + "/config", body.build().toString()), 200, 204);
  }

  public JsonArray journal() {
    return Json.createReader(new StringReader(send("GET", "simulator/journal", null).body()))
        .readArray();
  }

  public HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject object(HttpResponse<String> r) {
    expect(r, 200);
    return Json.createReader(new StringReader(r.body())).readObject();
  }

  private static void expect(HttpResponse<String> r, int... statuses) {
    for (int s : statuses) {
      if (r.statusCode() == s) {
        return;
      }
    }
    throw new AssertionError(
        "simulator control " + r.request().uri() + " answered " + r.statusCode() + ": " + r.body());
  }
}
