package org.berth.hypervisor.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control API under {@code /simulator}, for the demo and tests: inspect the state, inject
 * faults, take nodes down, add foreign guests (with tags, to leave a Berth-tagged one behind),
 * change a guest's config or remove guests behind Berth's back, change the task duration, read the
 * journal, reset. It has no authentication; the server only listens on loopback.
 */
final class ControlApi implements HttpHandler {

  static final String PREFIX = "/simulator";

  private static final Logger LOG = Logger.getLogger(ControlApi.class.getName());
  private static final Pattern NODE = Pattern.compile("/nodes/([^/]+)/(down|up)");
  private static final Pattern GUEST = Pattern.compile("/guests/(\\d{1,9})");
  private static final Pattern GUEST_CONFIG = Pattern.compile("/guests/(\\d{1,9})/config");

  private final Cluster cluster;

  ControlApi(Cluster cluster) {
    this.cluster = cluster;
  }

  /** A refusal of bad control input, answered 400. */
  private static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int status;
      JsonValue answer;
      try {
        answer = route(method, path, body);
        status = answer == null ? 204 : method.equals("POST") && created(path) ? 201 : 200;
      } catch (BadInput | IllegalArgumentException e) {
        status = 400;
        answer = message(e.getMessage());
      } catch (NotFound e) {
        status = e.status;
        answer = message(e.getMessage());
      }
      send(exchange, status, answer);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "simulator control API failed on a request", e);
    } finally {
      exchange.close();
    }
  }

  private static boolean created(String path) {
    return path.equals("/faults") || path.equals("/guests");
  }

  private static final class NotFound extends RuntimeException {
    final int status;

    NotFound(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private JsonValue route(String method, String path, String body) {
    String shape = method + " " + path;
    switch (shape) {
      case "GET /state":
        return cluster.state();
      case "POST /faults":
        return addFault(object(body));
      case "DELETE /faults":
        cluster.clearFaults();
        return null;
      case "POST /guests":
        return addGuest(object(body));
      case "PUT /settings":
        return settings(object(body));
      case "GET /journal":
        return journal();
      case "DELETE /journal":
        cluster.clearJournal();
        return null;
      case "POST /reset":
        cluster.reset();
        return null;
      default:
        break;
    }
    Matcher edit = GUEST_CONFIG.matcher(path);
    if (edit.matches() && method.equals("PUT")) {
      java.util.Map<String, String> changes = new java.util.LinkedHashMap<>();
      object(body)
          .forEach(
              (key, value) -> {
                if (!(value instanceof jakarta.json.JsonString text)) {
                  throw new BadInput(key + ": must be a string");
                }
                changes.put(key, text.getString());
              });
      if (!cluster.editConfig(Integer.parseInt(edit.group(1)), changes)) {
        throw new NotFound(404, "no guest " + edit.group(1));
      }
      return null;
    }
    Matcher removal = GUEST.matcher(path);
    if (removal.matches() && method.equals("DELETE")) {
      if (!cluster.removeGuest(Integer.parseInt(removal.group(1)))) {
        throw new NotFound(404, "no guest " + removal.group(1));
      }
      return null;
    }
    Matcher node = NODE.matcher(path);
    if (node.matches()) {
      if (!method.equals("POST")) {
        throw new NotFound(405, "use POST");
      }
      try {
        cluster.setOnline(node.group(1), node.group(2).equals("up"));
      } catch (IllegalArgumentException e) {
        throw new BadInput("node: " + e.getMessage());
      }
      return Json.createObjectBuilder()
          .add("node", node.group(1))
          .add("status", node.group(2).equals("up") ? "online" : "offline")
          .build();
    }
    if (path.matches("/state|/faults|/guests|/settings|/journal|/reset")) {
      throw new NotFound(405, "method " + method + " is not allowed on " + PREFIX + path);
    }
    throw new NotFound(404, "no such control resource: " + PREFIX + path);
  }

  private JsonValue addFault(JsonObject body) {
    Fault.Kind kind;
    try {
      kind = Fault.Kind.ofControlName(text(body, "kind", true));
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
    int times = (int) whole(body, "times", 1);
    double delay = decimal(body, "delaySeconds", kind == Fault.Kind.TIMEOUT ? 30.0 : 0.0);
    Fault fault;
    try {
      fault =
          new Fault(
              kind,
              text(body, "method", false),
              text(body, "path", false),
              times,
              text(body, "message", false),
              Duration.ofMillis((long) (delay * 1000)));
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.startsWith("times") || message.startsWith("delay")) {
        throw new BadInput(message.replaceFirst("^delay", "delaySeconds"));
      }
      throw new BadInput(
          "path is not a regular expression: " + message.lines().findFirst().orElse(""));
    }
    cluster.inject(fault);
    JsonObjectBuilder answer =
        Json.createObjectBuilder()
            .add("kind", kind.controlName())
            .add("times", fault.times())
            .add("message", fault.message())
            .add("delaySeconds", fault.delay().toMillis() / 1000.0);
    if (fault.method() != null) {
      answer.add("method", fault.method());
    }
    if (fault.path() != null) {
      answer.add("path", fault.path());
    }
    return answer.build();
  }

  private JsonValue addGuest(JsonObject body) {
    long vmid = whole(body, "vmid", -1);
    if (vmid == -1) {
      throw new BadInput("vmid is required");
    }
    String node = text(body, "node", true);
    String type = text(body, "type", true);
    try {
      List<String> tags = new java.util.ArrayList<>();
      if (body.get("tags") instanceof jakarta.json.JsonArray array) {
        for (jakarta.json.JsonValue t : array) {
          if (!(t instanceof jakarta.json.JsonString s)) {
            throw new BadInput("tags must be a list of strings");
          }
          tags.add(s.getString());
        }
      }
      return Cluster.guestJson(
              cluster.addForeignGuest((int) vmid, node, type, text(body, "name", false), tags))
          .build();
    } catch (IllegalArgumentException e) {
      throw new BadInput(e.getMessage());
    }
  }

  private JsonValue settings(JsonObject body) {
    if (!body.containsKey("taskSeconds")) {
      throw new BadInput("taskSeconds is required");
    }
    double seconds = decimal(body, "taskSeconds", 0.0);
    if (seconds < 0) {
      throw new BadInput("taskSeconds must not be negative");
    }
    cluster.taskDuration(Duration.ofMillis((long) (seconds * 1000)));
    return Json.createObjectBuilder().add("taskSeconds", seconds).build();
  }

  private JsonValue journal() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (JournalEntry entry : cluster.journal()) {
      JsonObjectBuilder parameters = Json.createObjectBuilder();
      entry.parameters().forEach(parameters::add);
      out.add(
          Json.createObjectBuilder()
              .add("method", entry.method())
              .add("path", entry.path())
              .add("parameters", parameters)
              .add("status", entry.status()));
    }
    return out.build();
  }

  private static JsonObject object(String body) {
    try (JsonReader reader = Json.createReader(new StringReader(body.isBlank() ? "{}" : body))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new BadInput("the body must be a JSON object");
    }
  }

  private static String text(JsonObject body, String field, boolean required) {
    JsonValue value = body.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      if (required) {
        throw new BadInput(field + " is required");
      }
      return null;
    }
    if (!(value instanceof JsonString s)) {
      throw new BadInput(field + " must be a string");
    }
    return s.getString();
  }

  private static double decimal(JsonObject body, String field, double fallback) {
    JsonValue value = body.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return fallback;
    }
    if (!(value instanceof JsonNumber n)) {
      throw new BadInput(field + " must be a number");
    }
    return n.doubleValue();
  }

  private static long whole(JsonObject body, String field, long fallback) {
    double n = decimal(body, field, fallback);
    if (n != Math.rint(n) || Math.abs(n) > Integer.MAX_VALUE) {
      throw new BadInput(field + " must be a whole number");
    }
    return (long) n;
  }

  private static JsonObject message(String message) {
    return Json.createObjectBuilder().add("message", message).build();
  }

  private static void send(HttpExchange exchange, int status, JsonValue answer) throws IOException {
    if (answer == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
