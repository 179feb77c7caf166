package org.berth.access.jumphost;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Berth's jump-host keys endpoint as the jump host sees it, on loopback: {@code GET
 * /api/jumphost/authorized-keys?user=&fingerprint=} with a Bearer token answers the granted lines
 * for that user and key fingerprint (200 text/plain, empty body if none), 401 without the right
 * token, 400 for a bad parameter. It records every request, and can be told to answer something
 * else, to hold answers back, or to stop listening.
 */
final class StandInBerth implements AutoCloseable {

  static final String PATH = "/api/jumphost/authorized-keys";

  private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]+={0,2}");

  /** A request as it arrived: the query string still encoded, and its decoded parameters. */
  record Request(String path, String rawQuery, Map<String, String> params, String authorization) {}

  /** An answer that replaces the endpoint's own. */
  record Answer(int status, String contentType, String body) {}

  private final String token;
  private final int port;
  private final Map<String, Map<String, String>> grants = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "stand-in-berth");
            t.setDaemon(true);
            return t;
          });
  private volatile Answer override;
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private HttpServer server;

  private StandInBerth(String token, int port) throws IOException {
    this.token = token;
    this.port = port;
    listen();
  }

  /** Starts on a free loopback port, accepting {@code token} as the jump host's token. */
  static StandInBerth start(String token) throws IOException {
    return new StandInBerth(token, 0);
  }

  /** Berth's base URL, as in BERTH_URL. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code line} for {@code user}'s key with {@code fingerprint}, until revoked. */
  void grant(String user, String fingerprint, String line) {
    grants.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(fingerprint, line);
  }

  /** Stops answering any line for {@code user}, as when the key is revoked or the guest deleted. */
  void revoke(String user) {
    grants.remove(user);
  }

  /** Answers every request with {@code answer} instead of the endpoint's own; null to undo. */
  void answerWith(Answer answer) {
    this.override = answer;
  }

  /** Holds every answer back until {@link #releaseAnswers()} (or 30 s). */
  void holdAnswers() {
    gate = new CountDownLatch(1);
  }

  void releaseAnswers() {
    gate.countDown();
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Waits until at least {@code count} requests have arrived. */
  void awaitRequests(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("stand-in Berth got " + requests.size() + " requests");
      }
      Thread.sleep(10);
    }
  }

  /** Stops listening: Berth is down. */
  void stop() {
    releaseAnswers();
    server.stop(0);
  }

  /** Listens again on the same port. */
  void restart() throws IOException {
    listen();
  }

  @Override
  public void close() {
    stop();
    threads.shutdownNow();
  }

  /** The SHA256 fingerprint sshd passes as %f for an OpenSSH public key line. */
  static String fingerprint(String publicKeyLine) {
    byte[] blob = Base64.getDecoder().decode(publicKeyLine.strip().split("\\s+")[1]);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void listen() throws IOException {
    int at = server == null ? port : server.getAddress().getPort();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), at), 0);
    server.setExecutor(threads);
    server.createContext(PATH, this::handle);
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String raw = exchange.getRequestURI().getRawQuery();
      Map<String, String> params = decode(raw);
      requests.add(
          new Request(
              exchange.getRequestURI().getPath(),
              raw,
              params,
              exchange.getRequestHeaders().getFirst("Authorization")));
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Answer answer = override != null ? override : endpoint(exchange, params);
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  private Answer endpoint(HttpExchange exchange, Map<String, String> params) {
    if (!"GET".equals(exchange.getRequestMethod())) {
      return new Answer(405, "text/plain", "");
    }
    if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      return new Answer(401, "text/plain", "");
    }
    String user = params.get("user");
    String fingerprint = params.get("fingerprint");
    if (user == null || user.isBlank() || fingerprint == null) {
      return new Answer(400, "text/plain", "user and fingerprint are required\n");
    }
    if (!FINGERPRINT.matcher(fingerprint).matches()) {
      return new Answer(400, "text/plain", "bad fingerprint\n");
    }
    String line = grants.getOrDefault(user, Map.of()).get(fingerprint);
    return new Answer(200, "text/plain;charset=UTF-8", line == null ? "" : line + "\n");
  }

  private static Map<String, String> decode(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }
}
