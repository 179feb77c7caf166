package org.berth.hypervisor.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The simulated cluster's own parameter rules ({@code ProxmoxApi}'s schemas and {@code Formats})
 * held to Proxmox's published API schema: for calls that are right and calls that break a rule, the
 * simulator accepts exactly those Proxmox would accept. The schema stays outside the repository
 * ({@link PveApiSchema#defaultLocation()}); without it this test skips.
 */
class RulesAgreeWithProxmoxSchemaTest {

  private static final Optional<PveApiSchema> SCHEMA = PveApiSchema.load();

  @Test
  void theSimulatorRefusesExactlyTheParametersProxmoxRefuses() throws Exception {
    assumeTrue(
        SCHEMA.isPresent(),
        "Proxmox's API schema is not at "
            + PveApiSchema.defaultLocation()
            + "; set -D"
            + PveApiSchema.LOCATION_PROPERTY);
    SimulatorSettings settings = SimulatorSettings.defaults().withTaskDuration(Duration.ZERO);
    try (SimulatedProxmox cluster = SimulatedProxmox.start(settings)) {
      ProxmoxClient api = new ProxmoxClient(cluster.url(), settings.authorization());
      String vm = "/nodes/sim1/qemu/10001";
      api.post("/nodes/sim1/qemu/9000/clone", "newid", "10001", "name", "ok-vm", "full", "1");
      api.post("/nodes/sim1/qemu/9000/clone", "newid", "99");
      api.post("/nodes/sim1/qemu/9000/clone", "newid", "10002", "name", "not_a_name!");
      api.post("/nodes/sim1/qemu/9000/clone", "newid", "10002", "full", "maybe");
      api.put(
          vm + "/config",
          "cores",
          "2",
          "memory",
          "2048",
          "net0",
          "virtio=52:54:00:12:34:56,bridge=vmbr0",
          "ipconfig0",
          "ip=192.0.2.10/24,gw=192.0.2.1",
          "tags",
          "berth;berth-request-1");
      api.put(vm + "/config", "net0", "virtio=zz:zz,bridge=vmbr0");
      api.put(vm + "/config", "memory", "lots");
      api.put(vm + "/config", "cores", "0");
      api.put(vm + "/config", "ipconfig0", "ip=300.0.0.1/24");
      api.put(vm + "/config", "no-such-option", "1");
      api.put(vm + "/resize", "disk", "scsi0", "size", "+5G");
      api.put(vm + "/resize", "disk", "hda", "size", "+5G");
      api.post(vm + "/status/start");
      api.post(
          "/nodes/sim1/lxc",
          "vmid",
          "10003",
          "ostemplate",
          "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
          "hostname",
          "ct-ok",
          "memory",
          "512",
          "net0",
          "name=eth0,bridge=vmbr0,hwaddr=52:54:00:12:34:57,ip=192.0.2.11/24,gw=192.0.2.1");
      api.post(
          "/nodes/sim1/lxc",
          "vmid",
          "10004",
          "ostemplate",
          "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
          "hostname",
          "bad..name");
      api.post("/nodes/sim1/lxc", "vmid", "abc", "ostemplate", "x");
      api.get("/cluster/resources", "type", "vm");
      api.get("/cluster/resources", "type", "everything");
      api.post("/access/ticket", "username", "nobody@pve", "password", "wrong");
      api.post("/access/ticket", "username", "nobody@pve");
      JsonObject terminal = api.post(vm + "/termproxy", "serial", "serial0").object();
      api.post(vm + "/termproxy", "serial", "com1");
      api.post("/nodes/sim1/lxc/10003/termproxy", "serial", "serial0");
      HttpClient http = HttpClient.newHttpClient();
      String socket = cluster.url().toString().replaceFirst("^http", "ws") + "/api2/json" + vm;
      http.newWebSocketBuilder()
          .header("Authorization", settings.authorization())
          .buildAsync(
              URI.create(
                  socket
                      + "/vncwebsocket?port="
                      + terminal.getString("port")
                      + "&vncticket="
                      + URLEncoder.encode(terminal.getString("ticket"), StandardCharsets.UTF_8)),
              new WebSocket.Listener() {})
          .join()
          .abort();
      assertThatThrownBy(
              () ->
                  http.newWebSocketBuilder()
                      .header("Authorization", settings.authorization())
                      .buildAsync(
                          URI.create(socket + "/vncwebsocket?port=6000&vncticket=x"),
                          new WebSocket.Listener() {})
                      .join())
          .hasCauseInstanceOf(WebSocketHandshakeException.class);

      List<String> disagreements = new ArrayList<>();
      int compared = 0;
      int refused = 0;
      for (JournalEntry call : cluster.journal()) {
        if (call.status() != 400
            && call.status() != 101
            && (call.status() < 200 || call.status() > 299)) {
          continue; // refused for the cluster's state, not for its parameters
        }
        compared++;
        List<String> proxmox =
            SCHEMA.get().violations(call.method(), call.path(), call.parameters());
        boolean simulatorRefused = call.status() == 400;
        refused += simulatorRefused ? 1 : 0;
        if (simulatorRefused == proxmox.isEmpty()) {
          disagreements.add(
              call.method()
                  + " "
                  + call.path()
                  + " "
                  + call.parameters()
                  + ": the simulator answered "
                  + call.status()
                  + ", Proxmox's schema says "
                  + (proxmox.isEmpty() ? "accepted" : proxmox));
        }
      }
      assertThat(compared).as("calls compared").isGreaterThanOrEqualTo(24);
      assertThat(refused).as("calls refused for their parameters").isGreaterThanOrEqualTo(14);
      assertThat(compared - refused).as("calls accepted").isGreaterThanOrEqualTo(6);
      assertThat(disagreements).isEmpty();
    }
  }
}
