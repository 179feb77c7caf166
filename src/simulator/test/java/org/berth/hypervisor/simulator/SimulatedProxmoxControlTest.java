package org.berth.hypervisor.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.berth.hypervisor.simulator.ProxmoxClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedProxmoxControlTest {

  static final SimulatorSettings SETTINGS =
      SimulatorSettings.defaults().withTaskDuration(Duration.ofMillis(100));

  static SimulatedProxmox proxmox;
  static ProxmoxClient api;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  record Answer(int status, JsonStructure body) {
    JsonObject object() {
      return body.asJsonObject();
    }
  }

  @BeforeAll
  static void start() {
    proxmox = SimulatedProxmox.start(SETTINGS);
    api = new ProxmoxClient(proxmox.url(), SETTINGS.authorization());
  }

  @AfterAll
  static void stop() {
    proxmox.stop();
  }

  @BeforeEach
  void reset() throws IOException {
    assertThat(control("POST", "/reset", null).status()).isEqualTo(204);
  }

  static Answer control(String method, String path, String json) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(proxmox.url() + "/simulator" + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json")
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.body().isEmpty()) {
        return new Answer(response.statusCode(), null);
      }
      try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
        return new Answer(response.statusCode(), reader.read());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void showsTheInitialState() throws IOException {
    JsonObject state = control("GET", "/state", null).object();

    assertThat(state.getBoolean("simulated")).isTrue();
    assertThat(state.getJsonArray("nodes").getValuesAs(JsonObject.class))
        .extracting(n -> n.getString("node"))
        .containsExactly("sim1", "sim2", "sim3");
    JsonObject template = state.getJsonArray("guests").getJsonObject(0);
    assertThat(template.getInt("vmid")).isEqualTo(9000);
    assertThat(template.getBoolean("template")).isTrue();
    assertThat(template.getJsonObject("config").getString("name")).isEqualTo("debian-12");
  }

  @Test
  void injectsFaultsAndClearsThem() throws IOException {
    Answer added =
        control(
            "POST",
            "/faults",
            "{\"kind\":\"http503\",\"method\":\"get\",\"path\":\"^/version$\",\"times\":2,"
                + "\"message\":\"busy\"}");

    assertThat(added.status()).isEqualTo(201);
    assertThat(api.get("/version").status()).isEqualTo(503);
    assertThat(api.get("/version").message()).isEqualTo("busy");
    assertThat(api.get("/version").status()).isEqualTo(200);

    control("POST", "/faults", "{\"kind\":\"http500\"}");
    assertThat(control("GET", "/state", null).object().getJsonArray("faults")).hasSize(1);
    assertThat(control("DELETE", "/faults", null).status()).isEqualTo(204);
    assertThat(api.get("/version").status()).isEqualTo(200);
  }

  @Test
  void refusesBadInputNamingTheField() throws IOException {
    Answer kind = control("POST", "/faults", "{\"kind\":\"explode\"}");
    Answer times = control("POST", "/faults", "{\"kind\":\"http500\",\"times\":0}");
    Answer path = control("POST", "/faults", "{\"kind\":\"http500\",\"path\":\"([\"}");
    Answer guest = control("POST", "/guests", "{\"vmid\":\"100\",\"node\":\"sim1\"}");
    Answer node = control("POST", "/nodes/sim7/down", null);
    Answer settings = control("PUT", "/settings", "{\"taskSeconds\":-1}");
    Answer notJson = control("POST", "/faults", "kind=http500");

    assertThat(kind.status()).isEqualTo(400);
    assertThat(kind.object().getString("message")).startsWith("kind must be one of");
    assertThat(times.object().getString("message")).startsWith("times");
    assertThat(path.object().getString("message")).startsWith("path");
    assertThat(guest.object().getString("message")).startsWith("vmid");
    assertThat(node.object().getString("message")).startsWith("node");
    assertThat(settings.object().getString("message")).startsWith("taskSeconds");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(control("GET", "/nothing", null).status()).isEqualTo(404);
  }

  @Test
  void takesNodesDownAndUp() throws IOException {
    assertThat(control("POST", "/nodes/sim2/down", null).object().getString("status"))
        .isEqualTo("offline");
    assertThat(api.get("/nodes/sim2/tasks/x/status").status()).isEqualTo(595);

    control("POST", "/nodes/sim2/up", null);
    assertThat(api.get("/nodes/sim2/qemu/9000/status/current").status()).isEqualTo(500);
  }

  @Test
  void addsForeignGuestsThatTakeAVmid() throws IOException {
    Answer added =
        control(
            "POST",
            "/guests",
            "{\"vmid\":300,\"node\":\"sim2\",\"type\":\"qemu\",\"name\":\"legacy\"}");

    assertThat(added.status()).isEqualTo(201);
    assertThat(added.object().getString("status")).isEqualTo("stopped");
    assertThat(api.post("/nodes/sim1/qemu/9000/clone", "newid", "300").message())
        .contains("already exists");
    assertThat(
            control("POST", "/guests", "{\"vmid\":300,\"node\":\"sim1\",\"type\":\"lxc\"}")
                .status())
        .isEqualTo(400);
  }

  @Test
  void changesTheTaskDuration() throws IOException {
    assertThat(control("PUT", "/settings", "{\"taskSeconds\":0}").status()).isEqualTo(200);

    Reply clone = api.post("/nodes/sim1/qemu/9000/clone", "newid", "301");

    String upid = clone.text();
    assertThat(api.get("/nodes/sim1/tasks/" + upid + "/status").object().getString("exitstatus"))
        .isEqualTo("OK");
  }

  @Test
  void showsAndClearsTheJournal() throws IOException {
    control("DELETE", "/journal", null);
    api.get("/cluster/resources", "type", "node");

    JsonValue journal = control("GET", "/journal", null).body();

    JsonObject entry = journal.asJsonArray().getJsonObject(0);
    assertThat(entry.getString("method")).isEqualTo("GET");
    assertThat(entry.getString("path")).isEqualTo("/cluster/resources");
    assertThat(entry.getJsonObject("parameters").getString("type")).isEqualTo("node");
    assertThat(entry.getInt("status")).isEqualTo(200);
    assertThat(control("DELETE", "/journal", null).status()).isEqualTo(204);
    assertThat(control("GET", "/journal", null).body().asJsonArray()).isEmpty();
  }
}
