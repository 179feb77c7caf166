package org.berth.hypervisor.simulator;

import static org.berth.hypervisor.simulator.ParameterSchema.BOOLEAN;
import static org.berth.hypervisor.simulator.ParameterSchema.STRING;
import static org.berth.hypervisor.simulator.ParameterSchema.format;
import static org.berth.hypervisor.simulator.ParameterSchema.integer;
import static org.berth.hypervisor.simulator.ParameterSchema.maxLength;
import static org.berth.hypervisor.simulator.ParameterSchema.minLength;
import static org.berth.hypervisor.simulator.ParameterSchema.oneOf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.hypervisor.simulator.ParameterSchema.Check;

/**
 * The Proxmox VE API under {@code /api2/json}: token authentication, Proxmox's parameter checks and
 * error shapes, injected faults, and the routes of the subset Berth uses. Every request lands in
 * the journal.
 */
final class ProxmoxApi implements HttpHandler {

  static final String PREFIX = "/api2/json";

  private static final Logger LOG = Logger.getLogger(ProxmoxApi.class.getName());
  private static final long MAX = Long.MAX_VALUE / (1L << 30);

  static final Check VMID = integer(100, 999_999_999);
  static final Check NODE = format(Formats::node);
  private static final Check DNS_NAME = format(Formats::dnsName);
  private static final Check TAGS = format(Formats::tags);
  private static final Check DESCRIPTION = maxLength(8192);

  private static final ParameterSchema NONE = new ParameterSchema();
  private static final ParameterSchema RESOURCES =
      new ParameterSchema().optional("type", oneOf("vm", "storage", "node", "sdn"));
  private static final ParameterSchema NODE_ONLY = new ParameterSchema().optional("node", NODE);
  private static final ParameterSchema TASK_STATUS = onNode().optional("upid", STRING);
  private static final ParameterSchema STORAGE_CONTENT =
      onNode()
          .optional("storage", format(Formats::storageId))
          .optional(
              "content",
              oneOf("images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"))
          .optional("vmid", VMID);
  private static final ParameterSchema CONFIG_GET = onGuest().optional("current", BOOLEAN);
  private static final ParameterSchema STATUS_GET = onGuest();

  private static final ParameterSchema CLONE =
      onGuest()
          .required("newid", VMID)
          .optional("name", DNS_NAME)
          .optional("description", DESCRIPTION)
          .optional("full", BOOLEAN)
          .optional("target", NODE)
          .optional("pool", format(Formats::poolId))
          .optional("storage", format(Formats::storageId))
          .optional("format", oneOf("raw", "qcow2", "vmdk"))
          .optional("snapname", format(Formats::configId))
          .optional("bwlimit", integer(0, MAX));

  private static final ParameterSchema QEMU_CONFIG =
      onGuest()
          .optional("name", DNS_NAME)
          .optional("description", DESCRIPTION)
          .optional("tags", TAGS)
          .optional("cores", integer(1, MAX))
          .optional("sockets", integer(1, MAX))
          .optional("memory", format(Formats::qemuMemory))
          .optional("onboot", BOOLEAN)
          .optional("agent", format(Formats::agent))
          .optional("boot", format(Formats::boot))
          .optional("ciuser", STRING)
          .optional("cipassword", STRING)
          .optional("sshkeys", format(Formats::urlencodedSshKeys))
          .optional("nameserver", format(Formats::addressList))
          .optional("searchdomain", STRING)
          .optional("digest", maxLength(40))
          .optional("delete", format(Formats::configIdList))
          .optional("skiplock", BOOLEAN)
          .indexed("net", 32, format(Formats::qemuNet))
          .indexed("ipconfig", 32, format(Formats::ipconfig));

  private static final ParameterSchema RESIZE =
      onGuest()
          .required(
              "disk",
              oneOf(
                  "ide0",
                  "ide1",
                  "ide2",
                  "ide3",
                  "sata0",
                  "scsi0",
                  "scsi1",
                  "virtio0",
                  "virtio1",
                  "efidisk0",
                  "tpmstate0"))
          .required("size", STRING)
          .optional("digest", maxLength(40))
          .optional("skiplock", BOOLEAN);

  private static final ParameterSchema LXC_CONFIG =
      onGuest()
          .optional("hostname", DNS_NAME)
          .optional("description", DESCRIPTION)
          .optional("tags", TAGS)
          .optional("cores", integer(1, 8192))
          .optional("memory", integer(16, MAX))
          .optional("swap", integer(0, MAX))
          .optional("onboot", BOOLEAN)
          .optional("nameserver", format(Formats::addressList))
          .optional("searchdomain", format(Formats::dnsNameList))
          .optional("digest", maxLength(40))
          .optional("delete", format(Formats::configIdList))
          .indexed("net", 10, format(Formats::lxcNet));

  private static final ParameterSchema LXC_CREATE =
      onNode()
          .required("vmid", VMID)
          .required("ostemplate", maxLength(255))
          .optional("hostname", DNS_NAME)
          .optional("description", DESCRIPTION)
          .optional("tags", TAGS)
          .optional("cores", integer(1, 8192))
          .optional("memory", integer(16, MAX))
          .optional("swap", integer(0, MAX))
          .optional("rootfs", format(Formats::rootfs))
          .optional("storage", format(Formats::storageId))
          .optional("unprivileged", BOOLEAN)
          .optional("start", BOOLEAN)
          .optional("onboot", BOOLEAN)
          .optional("nameserver", format(Formats::addressList))
          .optional("searchdomain", format(Formats::dnsNameList))
          .optional("password", minLength(5))
          .optional("ssh-public-keys", Formats::sshKeys)
          .optional("features", format(Formats::features))
          .optional("pool", format(Formats::poolId))
          .indexed("net", 10, format(Formats::lxcNet));

  private static final Map<String, ParameterSchema> STATUS_CHANGES =
      Map.of(
          "qemu/start",
          onGuest().optional("timeout", integer(0, MAX)).optional("skiplock", BOOLEAN),
          "qemu/shutdown",
          onGuest()
              .optional("timeout", integer(0, MAX))
              .optional("forceStop", BOOLEAN)
              .optional("keepActive", BOOLEAN)
              .optional("skiplock", BOOLEAN),
          "qemu/stop",
          onGuest()
              .optional("timeout", integer(0, MAX))
              .optional("keepActive", BOOLEAN)
              .optional("skiplock", BOOLEAN),
          "qemu/reboot",
          onGuest().optional("timeout", integer(0, MAX)),
          "lxc/start",
          onGuest().optional("skiplock", BOOLEAN).optional("debug", BOOLEAN),
          "lxc/shutdown",
          onGuest().optional("timeout", integer(0, MAX)).optional("forceStop", BOOLEAN),
          "lxc/stop",
          onGuest().optional("skiplock", BOOLEAN),
          "lxc/reboot",
          onGuest().optional("timeout", integer(0, MAX)));

  private static final Map<String, ParameterSchema> DELETES =
      Map.of(
          "qemu",
          onGuest()
              .optional("purge", BOOLEAN)
              .optional("destroy-unreferenced-disks", BOOLEAN)
              .optional("skiplock", BOOLEAN),
          "lxc",
          onGuest()
              .optional("purge", BOOLEAN)
              .optional("force", BOOLEAN)
              .optional("destroy-unreferenced-disks", BOOLEAN));

  private static final Check SNAPNAME =
      v -> {
        maxLength(40).verify(v);
        format(Formats::configId).verify(v);
      };

  private static final ParameterSchema SNAPSHOT_LIST = onGuest();
  private static final Map<String, ParameterSchema> SNAPSHOT_TAKE =
      Map.of(
          "qemu",
          onGuest()
              .required("snapname", SNAPNAME)
              .optional("description", STRING)
              .optional("vmstate", BOOLEAN),
          "lxc",
          onGuest().required("snapname", SNAPNAME).optional("description", STRING));
  private static final ParameterSchema SNAPSHOT_ROLLBACK =
      onGuest().optional("snapname", SNAPNAME).optional("start", BOOLEAN);
  private static final ParameterSchema SNAPSHOT_DELETE =
      onGuest().optional("snapname", SNAPNAME).optional("force", BOOLEAN);

  private static final ParameterSchema SIGN_IN =
      new ParameterSchema()
          .required("username", maxLength(64))
          .required("password", STRING)
          .optional("realm", maxLength(32))
          .optional("new-format", BOOLEAN)
          .optional("otp", STRING)
          .optional("tfa-challenge", STRING)
          .optional("path", maxLength(64))
          .optional("privs", maxLength(64));

  private static final Map<String, ParameterSchema> TERMPROXY =
      Map.of(
          "qemu",
          onGuest().optional("serial", oneOf("serial0", "serial1", "serial2", "serial3")),
          "lxc",
          onGuest());

  /** What a signed-in user, who holds only {@code VM.Console}, may call. */
  private static final Pattern CONSOLE_ONLY =
      Pattern.compile("GET version|POST nodes/[^/]+/(qemu|lxc)/[^/]+/termproxy");

  private static final Pattern STATUS_CHANGE =
      Pattern.compile("POST (qemu|lxc)/\\{id\\}/status/(start|shutdown|stop|reboot)");

  private final Cluster cluster;
  private final ConsoleAccess access;
  private final byte[] authorization;
  private final String tokenId;

  ProxmoxApi(Cluster cluster, ConsoleAccess access, SimulatorSettings settings) {
    this.cluster = cluster;
    this.access = access;
    this.authorization = settings.authorization().getBytes(StandardCharsets.UTF_8);
    this.tokenId = settings.tokenId();
  }

  private static ParameterSchema onNode() {
    return new ParameterSchema().optional("node", NODE);
  }

  private static ParameterSchema onGuest() {
    return onNode().optional("vmid", VMID);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } finally {
      exchange.close();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
    if (path.isEmpty()) {
      path = "/";
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    Answer answer = null;
    try {
      decodeForm(exchange.getRequestURI().getRawQuery(), parameters);
      if (method.equals("POST") || method.equals("PUT")) {
        decodeForm(
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
            parameters);
      }
    } catch (IllegalArgumentException e) {
      parameters.clear();
      answer = Answer.error(400, "unable to decode the request parameters");
    }
    if (answer == null) {
      answer = authorize(exchange, method, path, parameters);
    }
    if (parameters.containsKey("password")) {
      parameters.put("password", "********"); // a sign-in's password stays out of the journal
    }
    cluster.record(
        new JournalEntry(
            method,
            path,
            Collections.unmodifiableMap(parameters),
            answer.lost ? 0 : answer.status));
    byte[] body = answer.body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
    exchange.getResponseHeaders().set("Server", "pve-api-daemon/3.0 (simulated)");
    if (method.equals("HEAD")) {
      exchange.sendResponseHeaders(answer.status, -1);
      return;
    }
    exchange.sendResponseHeaders(answer.status, body.length);
    OutputStream out = exchange.getResponseBody();
    if (answer.lost) {
      // Headers and half the body, then the connection closes: the client has begun to read an
      // answer, so it sees an I/O error instead of quietly sending the request again.
      out.write(body, 0, body.length / 2);
      out.flush();
      throw new IOException("simulated lost response");
    }
    out.write(body);
    out.close();
  }

  /**
   * Answers a request after its authentication: signing in needs none; everything else needs the
   * API token or a signed-in user's ticket cookie (with the CSRF token on changes), and such a user
   * may only open terminals.
   */
  private Answer authorize(
      HttpExchange exchange, String method, String path, Map<String, String> parameters) {
    String shape = method + " " + path.replaceAll("^/+|/+$", "");
    if (shape.equals("POST access/ticket")) {
      return dispatch(() -> signIn(parameters));
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header != null
        && MessageDigest.isEqual(header.strip().getBytes(StandardCharsets.UTF_8), authorization)) {
      return answer(method, path, parameters, tokenId);
    }
    ConsoleAccess.SignIn signIn = access.signedIn(exchange.getRequestHeaders().getFirst("Cookie"));
    if (signIn == null) {
      return Answer.error(401, "authentication failure");
    }
    String csrf = exchange.getRequestHeaders().getFirst("CSRFPreventionToken");
    if (!method.equals("GET")
        && (csrf == null
            || !MessageDigest.isEqual(
                csrf.strip().getBytes(StandardCharsets.UTF_8),
                signIn.csrf().getBytes(StandardCharsets.UTF_8)))) {
      return Answer.error(401, "Permission denied - invalid csrf token");
    }
    if (!CONSOLE_ONLY.matcher(shape).matches()) {
      return Answer.error(
          403, "Permission check failed (" + signIn.user() + " holds only VM.Console)");
    }
    return answer(method, path, parameters, signIn.user());
  }

  private JsonValue signIn(Map<String, String> p) {
    verify(SIGN_IN, p, null);
    return access.signIn(p.get("username"), p.get("realm"), p.get("password"));
  }

  /** The answer to an authenticated request, after any fault. */
  private Answer answer(String method, String path, Map<String, String> parameters, String who) {
    Fault fault = cluster.takeFault(method, path);
    if (fault == null) {
      return dispatch(() -> route(method, path, parameters, who));
    }
    switch (fault.kind()) {
      case HTTP_500:
        return Answer.error(500, fault.message());
      case HTTP_503:
        return Answer.error(503, fault.message());
      case TIMEOUT:
        try {
          Thread.sleep(fault.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Answer.error(500, fault.message());
      case LOST_RESPONSE:
        return dispatch(() -> route(method, path, parameters, who)).cutOff();
      default:
        throw new IllegalStateException("task failures are taken when a task starts");
    }
  }

  private Answer dispatch(java.util.function.Supplier<JsonValue> handler) {
    try {
      return new Answer(200, Json.createObjectBuilder().add("data", handler.get()).build());
    } catch (ProxmoxError e) {
      JsonObjectBuilder body =
          Json.createObjectBuilder().addNull("data").add("message", e.getMessage());
      if (!e.errors().isEmpty()) {
        JsonObjectBuilder errors = Json.createObjectBuilder();
        e.errors().forEach(errors::add);
        body.add("errors", errors);
      }
      return new Answer(e.status(), body.build());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The simulated Proxmox API failed", e);
      return Answer.error(500, "simulated cluster failed: " + e);
    }
  }

  private JsonValue route(String method, String path, Map<String, String> p, String who) {
    List<String> s = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        s.add(segment);
      }
    }
    String shape = method + " " + String.join("/", s);
    switch (shape) {
      case "GET version":
        verify(NONE, p, null);
        return cluster.version();
      case "GET cluster/resources":
        verify(RESOURCES, p, null);
        return cluster.resources(p.get("type"));
      case "GET nodes":
        verify(NONE, p, null);
        return cluster.nodes();
      default:
        break;
    }
    if (s.size() >= 2 && s.get(0).equals("nodes")) {
      String node = s.get(1);
      cluster.reachable(node);
      JsonValue answer =
          nodeRoute(new Cluster.Call(method, path), node, s.subList(2, s.size()), p, who);
      if (answer != null) {
        return answer;
      }
    }
    throw ProxmoxError.notImplemented(method, path);
  }

  /** A request under {@code /nodes/{node}}; null when there is no such method. */
  private JsonValue nodeRoute(
      Cluster.Call call, String node, List<String> rest, Map<String, String> p, String who) {
    List<String> parts = new ArrayList<>(rest);
    String id = parts.size() >= 2 ? parts.set(1, "{id}") : null;
    String shape = call.method() + " " + String.join("/", parts);
    String type = parts.isEmpty() ? "" : parts.get(0);
    Matcher statusChange = STATUS_CHANGE.matcher(shape);
    if (statusChange.matches()) {
      String action = statusChange.group(2);
      int vmid = verify(STATUS_CHANGES.get(type + "/" + action), p, id);
      return upid(cluster.changeStatus(call, node, type, vmid, action, p));
    }
    if (parts.size() >= 4 && parts.get(2).equals("snapshot")) {
      String snapname = parts.get(3);
      parts.set(3, "{snapname}");
      String snapshotShape = call.method() + " " + String.join("/", parts);
      Map<String, String> withName = new LinkedHashMap<>(p);
      withName.put("snapname", snapname);
      switch (snapshotShape) {
        case "POST qemu/{id}/snapshot/{snapname}/rollback",
            "POST lxc/{id}/snapshot/{snapname}/rollback":
          return upid(
              cluster.rollback(
                  call, node, type, verify(SNAPSHOT_ROLLBACK, withName, id), snapname, p));
        case "DELETE qemu/{id}/snapshot/{snapname}", "DELETE lxc/{id}/snapshot/{snapname}":
          return upid(
              cluster.deleteSnapshot(
                  call, node, type, verify(SNAPSHOT_DELETE, withName, id), snapname, p));
        default:
          return null;
      }
    }
    switch (shape) {
      case "POST qemu/{id}/termproxy", "POST lxc/{id}/termproxy":
        return termproxy(node, type, verify(TERMPROXY.get(type), p, id), p.get("serial"), who);
      case "GET qemu/{id}/snapshot", "GET lxc/{id}/snapshot":
        return cluster.snapshots(node, type, verify(SNAPSHOT_LIST, p, id));
      case "POST qemu/{id}/snapshot", "POST lxc/{id}/snapshot":
        return upid(
            cluster.takeSnapshot(call, node, type, verify(SNAPSHOT_TAKE.get(type), p, id), p));
      case "POST qemu/{id}/clone":
        return upid(cluster.cloneVm(call, node, verify(CLONE, p, id), p));
      case "GET qemu/{id}/config", "GET lxc/{id}/config":
        return cluster.config(node, type, verify(CONFIG_GET, p, id));
      case "POST qemu/{id}/config":
        return upid(cluster.updateConfig(call, node, type, verify(QEMU_CONFIG, p, id), p, true));
      case "PUT qemu/{id}/config":
        return upid(cluster.updateConfig(call, node, type, verify(QEMU_CONFIG, p, id), p, false));
      case "PUT qemu/{id}/resize":
        return upid(cluster.resize(call, node, verify(RESIZE, p, id), p));
      case "PUT lxc/{id}/config":
        return upid(cluster.updateConfig(call, node, type, verify(LXC_CONFIG, p, id), p, false));
      case "GET qemu/{id}/status/current", "GET lxc/{id}/status/current":
        return cluster.currentStatus(node, type, verify(STATUS_GET, p, id));
      case "DELETE qemu/{id}", "DELETE lxc/{id}":
        return upid(cluster.destroy(call, node, type, verify(DELETES.get(type), p, id), p));
      case "POST lxc":
        verify(LXC_CREATE, p, null);
        return upid(cluster.createContainer(call, node, p));
      case "GET tasks/{id}/status":
        verify(TASK_STATUS, p, null);
        return cluster.taskStatus(node, id);
      case "GET storage/{id}/content":
        verify(STORAGE_CONTENT, p, null);
        return cluster.storageContent(node, id, p.get("content"), p.get("vmid"));
      default:
        return null;
    }
  }

  /**
   * Opens a terminal on a running guest for {@code who}: the port and ticket {@code vncwebsocket}
   * takes. The worker task Proxmox starts for it is not simulated; its id is well-formed only.
   */
  private JsonValue termproxy(String node, String type, int vmid, String serial, String who) {
    cluster.checkConsole(node, type, vmid, serial);
    ConsoleAccess.VncTicket t = access.issue(who, node, type, vmid, serial);
    long now = System.currentTimeMillis() / 1000;
    // Proxmox's schema says integer, but the port has been a string in Perl by then, and Proxmox
    // answers "5900", as clients of the real API find; so does this cluster.
    return Json.createObjectBuilder()
        .add("port", String.valueOf(t.port()))
        .add("ticket", t.ticket())
        .add(
            "upid",
            String.format(
                Locale.ROOT,
                "UPID:%s:%08X:%08X:%08X:vncproxy:%d:%s:",
                node,
                ProcessHandle.current().pid(),
                now,
                now,
                vmid,
                who))
        .add("user", who)
        .build();
  }

  /**
   * Checks the parameters and the VMID from the path together, as Proxmox does; answers the VMID.
   */
  static int verify(ParameterSchema schema, Map<String, String> p, String vmid) {
    Map<String, String> problems = schema.problems(p);
    if (vmid != null) {
      try {
        VMID.verify(vmid);
      } catch (IllegalArgumentException e) {
        problems.put("vmid", e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw ProxmoxError.parameters(problems);
    }
    return vmid == null ? 0 : Integer.parseInt(vmid);
  }

  private static JsonValue upid(String upid) {
    return upid == null ? JsonValue.NULL : Json.createValue(upid);
  }

  static void decodeForm(String form, Map<String, String> into) {
    if (form == null || form.isEmpty()) {
      return;
    }
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      into.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
  }

  /** A status and body; a lost answer is cut off after its headers. */
  private record Answer(int status, JsonObject body, boolean lost) {
    Answer(int status, JsonObject body) {
      this(status, body, false);
    }

    Answer cutOff() {
      return new Answer(status, body, true);
    }

    static Answer error(int status, String message) {
      return new Answer(
          status, Json.createObjectBuilder().addNull("data").add("message", message).build());
    }
  }
}
