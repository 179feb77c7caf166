package org.berth.hypervisor.proxmox;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.platform.config.InvalidSetting;

/**
 * HTTP calls to one Proxmox VE API with an API token, or as the console user signed in with a
 * password ({@link #signIn}), whose ticket travels as the {@code PVEAuthCookie} cookie. Every
 * answer's {@code data} is returned; every failure becomes a {@link HypervisorFailure} whose reason
 * names the call and quotes Proxmox's message, and says whether trying again may help. The token's
 * secret is only ever in the {@code Authorization} header, the password only in the sign-in's body,
 * and the ticket only in the cookie.
 */
final class ProxmoxClient {

  private static final Pattern UPID = Pattern.compile("^UPID:([^:]+):.*");

  /** How long Berth uses a sign-in; Proxmox's tickets last two hours. */
  static final java.time.Duration SIGN_IN_USE = java.time.Duration.ofMinutes(90);

  /** The console user signed in: the ticket, the CSRF token and when to sign in again. */
  record SignIn(String user, String ticket, String csrf, Instant renew) {
    String cookie() {
      return "PVEAuthCookie=" + percentEncode(ticket);
    }

    @Override
    public String toString() {
      return "SignIn[user=" + user + "]"; // the ticket is a secret
    }
  }

  private final ProxmoxSettings settings;
  private final HttpClient http;
  private final String authorization;
  private final URI api;

  ProxmoxClient(ProxmoxSettings settings) {
    this.settings = settings;
    this.authorization = "PVEAPIToken=" + settings.tokenId() + "=" + settings.tokenSecret();
    String base = settings.url().toString().replaceAll("/+$", "");
    this.api = URI.create(base + "/api2/json");
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(settings.url().getScheme())) {
      builder.sslContext(sslContext(settings));
    }
    this.http = builder.build();
  }

  private static SSLContext sslContext(ProxmoxSettings settings) {
    try {
      TrustManager[] trust = null;
      if (settings.fingerprint() != null) {
        trust = new TrustManager[] {new PinnedCertificate(settings.fingerprint())};
      } else if (settings.caFile() != null) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(settings.caFile())) {
          int i = 0;
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("ca-" + i++, c);
          }
          if (i == 0) {
            throw new InvalidSetting(
                "berth.proxmox.ca-file", "must hold PEM certificates; it holds none");
          }
        }
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        trust = factory.getTrustManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust, null);
      return context;
    } catch (IOException e) {
      throw new InvalidSetting("berth.proxmox.ca-file", "must name a readable file");
    } catch (GeneralSecurityException e) {
      throw new InvalidSetting("berth.proxmox.ca-file", "must hold PEM certificates");
    }
  }

  JsonValue get(String path, Map<String, String> query) {
    return send("GET", path, query, null, null);
  }

  JsonValue get(String path) {
    return get(path, Map.of());
  }

  JsonValue post(String path, Map<String, String> form) {
    return send("POST", path, Map.of(), form, null);
  }

  /** A POST as the signed-in console user instead of the token. */
  JsonValue post(String path, Map<String, String> form, SignIn as) {
    return send("POST", path, Map.of(), form, as);
  }

  JsonValue put(String path, Map<String, String> form) {
    return send("PUT", path, Map.of(), form, null);
  }

  JsonValue delete(String path, Map<String, String> query) {
    return send("DELETE", path, query, null, null);
  }

  /**
   * Signs the console user in with its password ({@code POST /access/ticket}).
   *
   * @throws HypervisorFailure naming the console user's settings when Proxmox refuses them
   */
  SignIn signIn() {
    String user = settings.consoleUser();
    JsonObject answer =
        send(
                "POST",
                "/access/ticket",
                Map.of(),
                Map.of("username", user, "password", settings.consolePassword()),
                new SignIn(user, null, null, null))
            .asJsonObject();
    String ticket = answer.getString("ticket", null);
    String csrf = answer.getString("CSRFPreventionToken", null);
    if (ticket == null || csrf == null) {
      throw new HypervisorFailure(
          "POST /access/ticket: Proxmox answered without a ticket for " + user, false);
    }
    return new SignIn(user, ticket, csrf, Instant.now().plus(SIGN_IN_USE));
  }

  /**
   * Opens the WebSocket at {@code path} (a {@code vncwebsocket}) as the signed-in user, over the
   * same TLS trust as every call.
   */
  java.util.concurrent.CompletableFuture<java.net.http.WebSocket> webSocket(
      String path,
      Map<String, String> query,
      SignIn as,
      java.net.http.WebSocket.Listener listener) {
    String base = api.toString().replaceFirst("^http", "ws");
    return http.newWebSocketBuilder()
        .connectTimeout(settings.connectTimeout())
        .header("Cookie", as.cookie())
        .subprotocols("binary")
        .buildAsync(URI.create(base + path + "?" + formEncode(query)), listener);
  }

  /**
   * Polls the task {@code upid} until it stops; its exit status must be {@code OK}.
   *
   * @param what the operation, for the reason of a failure ("clone of template 9000")
   */
  void awaitTask(JsonValue upidValue, String what) {
    if (upidValue == null || upidValue.getValueType() != JsonValue.ValueType.STRING) {
      return; // A synchronous answer: nothing to wait for.
    }
    String upid = ((jakarta.json.JsonString) upidValue).getString();
    Matcher m = UPID.matcher(upid);
    if (!m.matches()) {
      throw new HypervisorFailure(what + ": Proxmox answered with no task id: " + upid, false);
    }
    String path = "/nodes/" + m.group(1) + "/tasks/" + encode(upid) + "/status";
    Instant deadline = Instant.now().plus(settings.taskTimeout());
    long pause = Math.min(100, settings.taskPolling().toMillis());
    while (true) {
      JsonObject status = get(path).asJsonObject();
      if ("stopped".equals(status.getString("status", ""))) {
        String exit = status.getString("exitstatus", "");
        if (!"OK".equals(exit)) {
          throw new HypervisorFailure(what + " failed: " + exit, false);
        }
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new HypervisorFailure(
            what
                + " did not finish within "
                + settings.taskTimeout().toSeconds()
                + " s (task "
                + upid
                + ")",
            true);
      }
      sleep(pause);
      pause = Math.min(pause * 2, settings.taskPolling().toMillis());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HypervisorFailure("interrupted while waiting for a Proxmox task", true, e);
    }
  }

  /**
   * @param as the console user, or null for the API token; a sign-in without a ticket is the
   *     sign-in itself
   */
  private JsonValue send(
      String method, String path, Map<String, String> query, Map<String, String> form, SignIn as) {
    String target = api + path + (query.isEmpty() ? "" : "?" + formEncode(query));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(settings.readTimeout())
            .header("Accept", "application/json");
    if (as == null) {
      request.header("Authorization", authorization);
    } else if (as.ticket() != null) {
      request.header("Cookie", as.cookie()).header("CSRFPreventionToken", as.csrf());
    }
    if (form != null) {
      request
          .header("Content-Type", "application/x-www-form-urlencoded")
          .method(method, HttpRequest.BodyPublishers.ofString(formEncode(form)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    String call = method + " " + path;
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new HypervisorFailure(
          call
              + ": Proxmox at "
              + settings.url().getHost()
              + " did not answer within "
              + settings.readTimeout().toSeconds()
              + " s",
          true,
          e);
    } catch (SSLHandshakeException e) {
      throw new HypervisorFailure(
          call + ": the TLS connection to Proxmox was refused: " + e.getMessage(), false, e);
    } catch (IOException e) {
      throw new HypervisorFailure(
          call + ": cannot reach Proxmox at " + settings.url().getHost() + ": " + describe(e),
          true,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HypervisorFailure(call + ": interrupted", true, e);
    }
    int status = response.statusCode();
    JsonObject body = parse(response.body());
    if (status >= 200 && status < 300) {
      return body == null ? JsonValue.NULL : body.getOrDefault("data", JsonValue.NULL);
    }
    throw failure(call, status, body, as);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private HypervisorFailure failure(String call, int status, JsonObject body, SignIn as) {
    String message = body == null ? "" : body.getString("message", "").strip();
    StringJoiner errors = new StringJoiner("; ");
    if (body != null && body.get("errors") instanceof JsonObject e) {
      e.forEach(
          (field, text) ->
              errors.add(
                  field
                      + ": "
                      + (text instanceof jakarta.json.JsonString s ? s.getString() : text)
                          .toString()
                          .strip()));
    }
    String said = errors.length() > 0 ? message + " " + errors : message;
    if (as != null && (status == 401 || status == 403)) {
      return new HypervisorFailure(
          call
              + ": Proxmox refused the console user "
              + as.user()
              + " ("
              + status
              + (said.isEmpty() ? "" : ": " + said)
              + "); check berth.proxmox.console-user and console-password, and that the user"
              + " holds VM.Console",
          false);
    }
    return switch (status) {
      case 400 -> new HypervisorFailure(call + ": Proxmox refused the parameters: " + said, false);
      case 401 ->
          new HypervisorFailure(
              call
                  + ": Proxmox refused the API token "
                  + settings.tokenId()
                  + " (401); check berth.proxmox.token-id and token-secret",
              false);
      case 403 ->
          new HypervisorFailure(
              call + ": the API token " + settings.tokenId() + " may not do this (403): " + said,
              false);
      case 500 -> serverError(call, said);
      case 501 -> new HypervisorFailure(call + ": not implemented by Proxmox: " + said, false);
      default ->
          new HypervisorFailure(
              call + ": Proxmox answered " + status + (said.isEmpty() ? "" : ": " + said),
              status >= 500);
    };
  }

  private static HypervisorFailure serverError(String call, String said) {
    if (said.contains("already exists")) {
      return new AlreadyExists(call + ": " + said);
    }
    if (said.contains("does not exist")) {
      return new DoesNotExist(call + ": " + said);
    }
    // Locks, busy storage and most other 500s pass; a bounded number of tries sees them through.
    return new HypervisorFailure(call + ": Proxmox answered 500: " + said, true);
  }

  private static JsonObject parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      JsonValue value = reader.readValue();
      return value instanceof JsonObject o ? o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String formEncode(Map<String, String> values) {
    List<String> pairs = new ArrayList<>();
    new LinkedHashMap<>(values)
        .forEach((k, v) -> pairs.add(encode(k) + "=" + encode(v == null ? "" : v)));
    return String.join("&", pairs);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * Percent-encodes every byte but the unreserved characters, as Proxmox's {@code urlencoded}
   * parameters (cloud-init {@code sshkeys}) expect: a space is {@code %20}, never {@code +}.
   */
  static String percentEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Proxmox said the guest (id) exists already. */
  static final class AlreadyExists extends HypervisorFailure {
    private static final long serialVersionUID = 1L;

    AlreadyExists(String reason) {
      super(reason, false);
    }
  }

  /** Proxmox said there is no such guest (or volume) there. */
  static final class DoesNotExist extends HypervisorFailure {
    private static final long serialVersionUID = 1L;

    DoesNotExist(String reason) {
      super(reason, false);
    }
  }
}
