package org.berth.hypervisor.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.berth.hypervisor.simulator.ProxmoxClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminals on the simulated cluster as Proxmox VE opens them: a user signs in with a password,
 * {@code termproxy} hands out a ticket, and {@code vncwebsocket} on the API's own port carries
 * termproxy's protocol to a fake terminal.
 */
class SimulatedTerminalsTest {

  static final String USER = "berth-console@pve";
  static final String PASSWORD = "console pass: ü";
  static final SimulatorSettings SETTINGS =
      SimulatorSettings.defaults()
          .withTaskDuration(Duration.ofMillis(50))
          .withConsoleUser(USER, PASSWORD);

  static SimulatedProxmox proxmox;
  static ProxmoxClient api;
  static final HttpClient HTTP = HttpClient.newHttpClient();

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
  void reset() {
    proxmox.reset();
  }

  /** A signed-in user: the ticket and the CSRF token. */
  record SignIn(String ticket, String csrf) {
    String cookie() {
      return "PVEAuthCookie=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
    }

    ProxmoxClient client() {
      return api.withHeaders("Cookie", cookie(), "CSRFPreventionToken", csrf);
    }
  }

  static SignIn signIn() throws IOException {
    Reply reply = api.withHeaders().post("/access/ticket", "username", USER, "password", PASSWORD);
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    JsonObject data = reply.object();
    assertThat(data.getString("username")).isEqualTo(USER);
    return new SignIn(data.getString("ticket"), data.getString("CSRFPreventionToken"));
  }

  void runningVm(int vmid, String name) throws IOException {
    api.finish(api.post("/nodes/sim1/qemu/9000/clone", "newid", "" + vmid, "name", name));
    api.finish(api.post("/nodes/sim1/qemu/" + vmid + "/status/start"));
  }

  void runningContainer(int vmid, String name) throws IOException {
    api.finish(
        api.post(
            "/nodes/sim2/lxc",
            "vmid",
            "" + vmid,
            "ostemplate",
            Cluster.CONTAINER_TEMPLATES.get(0),
            "hostname",
            name,
            "rootfs",
            "local-lvm:8"));
    api.finish(api.post("/nodes/sim2/lxc/" + vmid + "/status/start"));
  }

  /** What the terminal shows, and whether and how the socket closed. */
  static final class Screen implements WebSocket.Listener {
    final StringBuffer text = new StringBuffer();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      text.append(new String(bytes, StandardCharsets.UTF_8));
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
    }

    void await(Predicate<String> shown, String what) {
      Instant deadline = Instant.now().plusSeconds(5);
      while (!shown.test(text.toString())) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("the terminal never showed " + what + "; it shows: " + text);
        }
        sleep(10);
      }
    }
  }

  /** A terminal on VM 100's first serial port, as termproxy hands it to {@code user}. */
  static JsonObject serialTerminal(SignIn user) throws IOException {
    return user.client().post("/nodes/sim1/qemu/100/termproxy", "serial", "serial0").object();
  }

  /** Sends termproxy's first line, {@code USER:TICKET}, for the console user. */
  static void logIn(WebSocket ws, JsonObject terminal) {
    ws.sendText(USER + ":" + terminal.getString("ticket") + "\n", true).join();
  }

  static WebSocket open(
      HttpClient http, String path, JsonObject terminal, String header, String value, Screen s) {
    URI uri =
        URI.create(
            proxmox.url().toString().replaceFirst("^http", "ws")
                + "/api2/json"
                + path
                + "/vncwebsocket?port="
                + terminal.getString("port")
                + "&vncticket="
                + URLEncoder.encode(terminal.getString("ticket"), StandardCharsets.UTF_8));
    return http.newWebSocketBuilder()
        .header(header, value)
        .subprotocols("binary")
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, s)
        .join();
  }

  static void type(WebSocket ws, String message) {
    ws.sendBinary(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), true).join();
  }

  static String typing(String keys) {
    return "0:" + keys.getBytes(StandardCharsets.UTF_8).length + ":" + keys;
  }

  @Test
  void aSignedInUserTypesIntoARunningVmsSerialTerminalUntilTheVmStops() throws Exception {
    runningVm(100, "web-1");
    SignIn user = signIn();
    Reply proxy = user.client().post("/nodes/sim1/qemu/100/termproxy", "serial", "serial0");
    assertThat(proxy.status()).as(proxy.body().toString()).isEqualTo(200);
    JsonObject terminal = proxy.object();
    assertThat(terminal.getString("user")).isEqualTo(USER);
    assertThat(Integer.parseInt(terminal.getString("port"))).isBetween(5900, 5999);
    assertThat(terminal.getString("upid")).startsWith("UPID:sim1:").contains(":vncproxy:100:");

    Screen screen = new Screen();
    WebSocket ws = open(HTTP, "/nodes/sim1/qemu/100", terminal, "Cookie", user.cookie(), screen);
    assertThat(ws.getSubprotocol()).isEqualTo("binary");
    logIn(ws, terminal);
    screen.await(t -> t.startsWith("OK") && t.endsWith("root@web-1:~# "), "the prompt");
    assertThat(screen.text.toString()).contains("web-1 ttyS0");

    // Several messages in one frame, and one message split over two frames.
    type(ws, typing("hostn") + "2" + typing("ame\r"));
    screen.await(t -> t.contains("hostname\r\nweb-1\r\nroot@web-1:~# "), "the host name");
    type(ws, "1:120:");
    type(ws, "40:" + typing("stty size\r"));
    screen.await(t -> t.contains("stty size\r\n40 120\r\n"), "the new size");

    api.finish(api.post("/nodes/sim1/qemu/100/status/stop"));
    assertThat(screen.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(proxmox.journal())
        .anySatisfy(
            e -> {
              assertThat(e.path()).isEqualTo("/nodes/sim1/qemu/100/vncwebsocket");
              assertThat(e.status()).isEqualTo(101);
              assertThat(e.parameters()).containsKey("port");
              // The journal is open to anyone on loopback: the ticket is not in it.
              assertThat(e.parameters()).containsEntry("vncticket", "********");
            });
  }

  @Test
  void aContainersTerminalIsItsConsoleAndAVmsWithoutSerialIsTheMonitor() throws Exception {
    runningContainer(200, "box-1");
    runningVm(101, "web-2");
    SignIn user = signIn();

    JsonObject ct = user.client().post("/nodes/sim2/lxc/200/termproxy").object();
    Screen console = new Screen();
    WebSocket a = open(HTTP, "/nodes/sim2/lxc/200", ct, "Cookie", user.cookie(), console);
    logIn(a, ct);
    console.await(t -> t.contains("box-1 console") && t.endsWith("root@box-1:~# "), "a prompt");
    type(a, typing("exit\r"));
    assertThat(console.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);

    JsonObject vm = user.client().post("/nodes/sim1/qemu/101/termproxy").object();
    Screen monitor = new Screen();
    WebSocket b = open(HTTP, "/nodes/sim1/qemu/101", vm, "Cookie", user.cookie(), monitor);
    logIn(b, vm);
    monitor.await(t -> t.contains("Entering QEMU Monitor for VM 101") && t.endsWith("qm> "), "qm");
    b.abort();
  }

  @Test
  void signingInIsRefusedWithoutSayingWhyAndThePasswordStaysOutOfTheJournal() throws IOException {
    Reply wrong = api.withHeaders().post("/access/ticket", "username", USER, "password", "not it");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.message()).isEqualTo("authentication failure");
    Reply unknown =
        api.withHeaders().post("/access/ticket", "username", "root@pam", "password", PASSWORD);
    assertThat(unknown.status()).isEqualTo(401);
    Reply realmApart =
        api.withHeaders()
            .post(
                "/access/ticket",
                "username",
                "berth-console",
                "realm",
                "pve",
                "password",
                PASSWORD);
    assertThat(realmApart.status()).isEqualTo(200);
    Reply noPassword = api.withHeaders().post("/access/ticket", "username", USER);
    assertThat(noPassword.status()).isEqualTo(400);
    assertThat(noPassword.errors().getString("password")).contains("property is missing");

    assertThat(proxmox.journal())
        .filteredOn(e -> e.path().equals("/access/ticket"))
        .hasSize(4)
        .allSatisfy(e -> assertThat(e.parameters().values()).doesNotContain(PASSWORD, "not it"));
  }

  @Test
  void aSignedInUserMayOnlyOpenTerminalsAndMustSendTheCsrfToken() throws IOException {
    runningVm(100, "web-1");
    SignIn user = signIn();
    assertThat(user.client().get("/version").status()).isEqualTo(200);
    Reply nodes = user.client().get("/nodes");
    assertThat(nodes.status()).isEqualTo(403);
    assertThat(nodes.message()).contains("VM.Console");
    assertThat(user.client().post("/nodes/sim1/qemu/100/status/stop").status()).isEqualTo(403);
    Reply noCsrf = api.withHeaders("Cookie", user.cookie()).post("/nodes/sim1/qemu/100/termproxy");
    assertThat(noCsrf.status()).isEqualTo(401);
    assertThat(api.withHeaders("Cookie", "PVEAuthCookie=PVE:forged").get("/version").status())
        .isEqualTo(401);

    api.finish(api.post("/nodes/sim1/qemu/100/status/stop"));
    Reply stopped = user.client().post("/nodes/sim1/qemu/100/termproxy", "serial", "serial0");
    assertThat(stopped.status()).isEqualTo(500);
    assertThat(stopped.message()).isEqualTo("VM 100 not running");
    Reply badSerial = user.client().post("/nodes/sim1/qemu/100/termproxy", "serial", "serial9");
    assertThat(badSerial.status()).isEqualTo(400);
    assertThat(badSerial.errors().getString("serial")).contains("value 'serial9' does not have");
  }

  @Test
  void aTicketIsGoodForItsGuestAndUserOnlyAndForOneTerminal() throws IOException {
    runningVm(100, "web-1");
    runningVm(101, "web-2");
    SignIn user = signIn();
    JsonObject terminal = serialTerminal(user);

    assertThat(refusal("/nodes/sim1/qemu/101", terminal, "Cookie", user.cookie())).isEqualTo(401);
    assertThat(refusal("/nodes/sim1/qemu/100", terminal, "Cookie", "PVEAuthCookie=forged"))
        .isEqualTo(401);
    assertThat(refusal("/nodes/sim1/qemu/100", terminal, "Authorization", "PVEAPIToken=x=y"))
        .isEqualTo(401);
    // Refused handshakes do not use the ticket up: it opens the terminal it is for, once.
    Screen screen = new Screen();
    WebSocket ws = open(HTTP, "/nodes/sim1/qemu/100", terminal, "Cookie", user.cookie(), screen);
    logIn(ws, terminal);
    screen.await(t -> t.startsWith("OK"), "OK");
    ws.abort();
    assertThat(refusal("/nodes/sim1/qemu/100", terminal, "Cookie", user.cookie())).isEqualTo(401);
  }

  @Test
  void aTicketTheApiTokenGotIsRefusedByTheTerminal() throws Exception {
    runningVm(100, "web-1");
    Reply proxy = api.post("/nodes/sim1/qemu/100/termproxy", "serial", "serial0");
    JsonObject terminal = proxy.object();
    assertThat(terminal.getString("user")).isEqualTo("berth@pve!berth");

    Screen screen = new Screen();
    WebSocket ws =
        open(
            HTTP,
            "/nodes/sim1/qemu/100",
            terminal,
            "Authorization",
            SETTINGS.authorization(),
            screen);
    ws.sendText("berth@pve!berth:" + terminal.getString("ticket") + "\n", true).join();
    assertThat(screen.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(screen.text.toString()).isEmpty();
  }

  @Test
  void brokenFramesAndOversizedMessagesCloseTheSocketWithTheirCode() throws Exception {
    runningVm(100, "web-1");
    SignIn user = signIn();
    JsonObject terminal = serialTerminal(user);
    Screen screen = new Screen();
    WebSocket ws = open(HTTP, "/nodes/sim1/qemu/100", terminal, "Cookie", user.cookie(), screen);
    logIn(ws, terminal);
    screen.await(t -> t.endsWith("# "), "the prompt");
    ws.abort();

    // Frames sent by hand after handshakes of their own: one unmasked, one announcing a message
    // larger than allowed.
    assertThat(closeCode(user, new byte[] {(byte) 0x82, 0x01, '2'})).isEqualTo(1002);
    assertThat(
            closeCode(
                user, new byte[] {(byte) 0x82, (byte) 0xff, 0, 0, 0, 0, 0, 1, 0, 1, 1, 2, 3, 4}))
        .isEqualTo(1009);
  }

  /** Opens a terminal with a handshake by hand, sends {@code frame}, answers the close code. */
  int closeCode(SignIn user, byte[] frame) throws IOException {
    JsonObject second = serialTerminal(user);
    try (Socket raw = new Socket(proxmox.url().getHost(), proxmox.url().getPort())) {
      raw.setSoTimeout(5000);
      OutputStream out = raw.getOutputStream();
      out.write(
          ("GET /api2/json/nodes/sim1/qemu/100/vncwebsocket?port="
                  + second.getString("port")
                  + "&vncticket="
                  + URLEncoder.encode(second.getString("ticket"), StandardCharsets.UTF_8)
                  + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Cookie: "
                  + user.cookie()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(frame);
      out.flush();
      InputStream in = raw.getInputStream();
      String head = new String(FrontDoor.readHead(in).raw(), StandardCharsets.ISO_8859_1);
      assertThat(head)
          .startsWith("HTTP/1.1 101")
          .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      byte[] close = in.readNBytes(4);
      assertThat(close[0] & 0xff).isEqualTo(0x88);
      return ((close[2] & 0xff) << 8) | (close[3] & 0xff);
    }
  }

  @Test
  void aHeadTooLargeIsAnswered431AndOrdinaryRequestsStillPass() throws IOException {
    try (Socket raw = new Socket(proxmox.url().getHost(), proxmox.url().getPort())) {
      raw.setSoTimeout(5000);
      raw.getOutputStream()
          .write(
              ("GET /api2/json/version HTTP/1.1\r\nX-Big: "
                      + "x".repeat(FrontDoor.MAX_HEAD)
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 431");
    }
    assertThat(api.get("/version").status()).isEqualTo(200);
  }

  /** Writes {@code request} on a new connection and answers all the cluster sends back. */
  static String raw(String request) throws IOException {
    try (Socket socket = new Socket(proxmox.url().getHost(), proxmox.url().getPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void strangeHeadsAreAnsweredAndNeverStopTheDoor() throws IOException {
    String token = "Authorization: " + SETTINGS.authorization() + "\r\n";
    assertThat(raw("\r\n\r\nGET /api2/json/version HTTP/1.1\r\nHost: x\r\n" + token + "\r\n"))
        .startsWith("HTTP/1.1 200")
        .contains("\"repoid\":\"simulated\"");
    assertThat(raw("GET /api2/json/version HTTP/1.1\nHost: x\n\n"))
        .startsWith("HTTP/1.1 400")
        .contains("request lines must end in CRLF");
    assertThat(raw("NONSENSE\r\n\r\n")).startsWith("HTTP/1.1 400").contains("no request line");
    assertThat(raw("\r\n")).isEmpty();
    // A chunked body reaches the API whole.
    String form = "username=" + URLEncoder.encode(USER, StandardCharsets.UTF_8) + "&password=x";
    assertThat(
            raw(
                "POST /api2/json/access/ticket HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(10)
                    + "\r\n"
                    + form.substring(0, 10)
                    + "\r\n"
                    + Integer.toHexString(form.length() - 10)
                    + ";ext=1\r\n"
                    + form.substring(10)
                    + "\r\n0\r\n\r\n"))
        .startsWith("HTTP/1.1 401")
        .contains("authentication failure");
    assertThat(api.get("/version").status()).isEqualTo(200);
  }

  @Test
  void aWebSocketAskedOnAConnectionThatServedRequestsIsStillATerminal() throws Exception {
    runningVm(100, "web-1");
    SignIn user = signIn();
    JsonObject terminal = serialTerminal(user);
    try (Socket socket = new Socket(proxmox.url().getHost(), proxmox.url().getPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      out.write(
          ("GET /api2/json/version HTTP/1.1\r\nHost: x\r\nCookie: " + user.cookie() + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      FrontDoor.Head answer = FrontDoor.readHead(in);
      assertThat(answer.method()).isEqualTo("HTTP/1.1");
      in.readNBytes(Integer.parseInt(answer.header("content-length")));

      out.write(
          ("GET /api2/json/nodes/sim1/qemu/100/vncwebsocket?port="
                  + terminal.getString("port")
                  + "&vncticket="
                  + URLEncoder.encode(terminal.getString("ticket"), StandardCharsets.UTF_8)
                  + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Cookie: "
                  + user.cookie()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertThat(new String(FrontDoor.readHead(in).raw(), StandardCharsets.ISO_8859_1))
          .startsWith("HTTP/1.1 101");
    }
  }

  @Test
  void terminalsWorkOverTls(@TempDir Path dir) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    assumeTrue(Files.isExecutable(keytool), "needs keytool from the JDK");
    Path keystore =
        LoopbackKeystore.create(dir.resolve("simulator.p12"), "simulator", "secret-pass");
    SSLContext tls = LoopbackKeystore.trusting(keystore, "secret-pass");
    HttpClient https = HttpClient.newBuilder().sslContext(tls).build();

    SimulatedProxmox saved = proxmox;
    ProxmoxClient savedApi = api;
    try (SimulatedProxmox cluster =
        SimulatedProxmox.start(SETTINGS.withTls(keystore, "secret-pass"))) {
      proxmox = cluster;
      api = new ProxmoxClient(https, cluster.url(), SETTINGS.authorization());
      runningVm(100, "secure-1");
      SignIn user = signIn();
      JsonObject terminal = serialTerminal(user);
      Screen screen = new Screen();
      WebSocket ws = open(https, "/nodes/sim1/qemu/100", terminal, "Cookie", user.cookie(), screen);
      logIn(ws, terminal);
      type(ws, typing("hostname\r"));
      screen.await(t -> t.contains("\r\nsecure-1\r\n"), "the host name");
      ws.abort();
    } finally {
      proxmox = saved;
      api = savedApi;
    }
  }

  /** The status with which the handshake is refused. */
  static int refusal(String path, JsonObject terminal, String header, String value) {
    try {
      open(HTTP, path, terminal, header, value, new Screen()).abort();
    } catch (CompletionException e) {
      assertThat(e).hasCauseInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
    throw new AssertionError("the handshake was accepted");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
