package org.berth.hypervisor.simulator;

import static org.berth.hypervisor.simulator.ParameterSchema.integer;
import static org.berth.hypervisor.simulator.ParameterSchema.maxLength;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proxmox VE's {@code vncwebsocket} for terminals opened by {@code termproxy}: the WebSocket
 * handshake with its checks (a signed-in user or the API token, the parameters, the terminal ticket
 * for this guest and port), then termproxy's protocol. The client's first line is {@code
 * USER:TICKET}; a ticket issued to an API token ({@code !} in the user) is refused there, as
 * termproxy refuses it, by closing. After {@code OK} the client sends {@code 0:LENGTH:DATA} to
 * type, {@code 1:COLUMNS:ROWS:} to resize and {@code 2} to keep the connection alive, in any
 * framing; the terminal's output comes back as binary messages. The terminal closes when its guest
 * stops, goes or its node goes down.
 */
final class Terminals implements FrontDoor.Upgrades {

  private static final Logger LOG = Logger.getLogger(Terminals.class.getName());

  private static final Pattern PATH =
      Pattern.compile("/api2/json/nodes/([^/]+)/(qemu|lxc)/([^/]+)/vncwebsocket");

  private static final ParameterSchema VNCWEBSOCKET =
      new ParameterSchema()
          .optional("node", ProxmoxApi.NODE)
          .optional("vmid", ProxmoxApi.VMID)
          .required("port", integer(ConsoleAccess.FIRST_PORT, ConsoleAccess.LAST_PORT))
          .required("vncticket", maxLength(512));

  /** The longest first line ({@code USER:TICKET}) and the longest data message announced. */
  private static final int MAX_LOGIN = 1024;

  private static final long WATCH_MILLIS = 250;

  private final Cluster cluster;
  private final ConsoleAccess access;
  private final byte[] authorization;
  private final String tokenId;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService watcher;

  Terminals(Cluster cluster, ConsoleAccess access, SimulatorSettings settings) {
    this.cluster = cluster;
    this.access = access;
    this.authorization = settings.authorization().getBytes(StandardCharsets.UTF_8);
    this.tokenId = settings.tokenId();
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "simulated-proxmox-terminals");
              thread.setDaemon(true);
              return thread;
            });
    watcher.scheduleWithFixedDelay(
        this::closeOrphans, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean wants(FrontDoor.Head head) {
    return head.method().equals("GET")
        && head.upgradesToWebSocket()
        && PATH.matcher(head.path()).matches();
  }

  @Override
  public void serve(FrontDoor.Head head, Socket socket, InputStream in) throws IOException {
    Matcher m = PATH.matcher(head.path());
    if (!m.matches()) {
      throw new IllegalStateException("not a terminal's path: " + head.path());
    }
    String node = m.group(1);
    String type = m.group(2);
    Map<String, String> parameters = new LinkedHashMap<>();
    ConsoleAccess.VncTicket ticket;
    try {
      try {
        ProxmoxApi.decodeForm(head.rawQuery(), parameters);
      } catch (IllegalArgumentException e) {
        parameters.clear();
        throw ProxmoxError.status(400, "unable to decode the request parameters");
      }
      String who = caller(head);
      if (who == null) {
        throw ProxmoxError.status(401, "authentication failure");
      }
      cluster.reachable(node);
      int vmid = ProxmoxApi.verify(VNCWEBSOCKET, parameters, m.group(3));
      ticket = access.valid(parameters.get("vncticket"));
      if (ticket == null
          || !ticket.user().equals(who)
          || !ticket.node().equals(node)
          || !ticket.type().equals(type)
          || ticket.vmid() != vmid
          || ticket.port() != Integer.parseInt(parameters.get("port"))) {
        throw ProxmoxError.status(401, "Permission denied - invalid vnc ticket");
      }
      if (head.header("sec-websocket-key") == null
          || !"13".equals(head.header("sec-websocket-version"))) {
        throw ProxmoxError.status(400, "not a WebSocket handshake (version 13)");
      }
      // termproxy takes one connection on its port: the first handshake that gets through uses
      // the ticket up. (Proxmox would upgrade a second one and then fail to reach the port.)
      if (access.redeem(ticket.ticket()) == null) {
        throw ProxmoxError.status(401, "Permission denied - invalid vnc ticket");
      }
    } catch (ProxmoxError e) {
      record(head, parameters, e.status());
      FrontDoor.answer(socket, e.status() + " " + reason(e.getMessage()), e.getMessage());
      return;
    }
    record(head, parameters, 101);
    String protocol = head.header("sec-websocket-protocol");
    boolean binary = protocol != null && protocol.contains("binary");
    OutputStream out = socket.getOutputStream();
    out.write(
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + WebSocketConnection.accept(head.header("sec-websocket-key"))
                + "\r\n"
                + (binary ? "Sec-WebSocket-Protocol: binary\r\n" : "")
                + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    try (WebSocketConnection ws = new WebSocketConnection(socket, in)) {
      Session session = new Session(ticket, ws);
      sessions.add(session);
      try {
        session.run();
      } finally {
        sessions.remove(session);
      }
    }
  }

  /** Ends every open terminal. */
  void stop() {
    watcher.shutdownNow();
    sessions.forEach(s -> s.ws.close(1001, "the cluster stops"));
  }

  private void closeOrphans() {
    for (Session s : sessions) {
      try {
        ConsoleAccess.VncTicket t = s.ticket;
        if (!cluster.consoleAlive(t.node(), t.type(), t.vmid())) {
          s.ws.close(1000, "");
        }
      } catch (RuntimeException e) {
        // one terminal's trouble must not stop the watching of the others
        LOG.log(Level.WARNING, "Cannot look at a simulated terminal", e);
      }
    }
  }

  /** The user or token the handshake comes from: the ticket cookie or the API token. */
  private String caller(FrontDoor.Head head) {
    ConsoleAccess.SignIn signIn = access.signedIn(head.header("cookie"));
    if (signIn != null) {
      return signIn.user();
    }
    String header = head.header("authorization");
    if (header != null
        && MessageDigest.isEqual(header.strip().getBytes(StandardCharsets.UTF_8), authorization)) {
      return tokenId;
    }
    return null;
  }

  /** Records the handshake in the journal, the ticket masked: the journal is open to anyone. */
  private void record(FrontDoor.Head head, Map<String, String> parameters, int status) {
    String path = head.path().substring(ProxmoxApi.PREFIX.length());
    Map<String, String> shown = new LinkedHashMap<>(parameters);
    shown.computeIfPresent("vncticket", (k, v) -> "********");
    cluster.record(new JournalEntry("GET", path, Collections.unmodifiableMap(shown), status));
  }

  /** Proxmox puts its message in the status line; this keeps it to one line of ASCII. */
  private static String reason(String message) {
    return message.replaceAll("[^\\x20-\\x7e]", " ");
  }

  /** One terminal: termproxy's protocol on a WebSocket. */
  private final class Session {
    final ConsoleAccess.VncTicket ticket;
    final WebSocketConnection ws;
    final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    FakeTerminal terminal;

    Session(ConsoleAccess.VncTicket ticket, WebSocketConnection ws) {
      this.ticket = ticket;
      this.ws = ws;
    }

    void run() throws IOException {
      WebSocketConnection.Message message;
      while ((message = ws.read()) != null) {
        pending.write(message.payload());
        if (!consume()) {
          ws.close(1000, "");
          return;
        }
      }
    }

    /** Handles what has arrived; false when the terminal ends. */
    private boolean consume() throws IOException {
      byte[] bytes = pending.toByteArray();
      int at = 0;
      if (terminal == null) {
        int newline = indexOf(bytes, 0, (byte) '\n');
        if (newline < 0) {
          return bytes.length <= MAX_LOGIN;
        }
        if (!login(new String(bytes, 0, newline, StandardCharsets.UTF_8))) {
          return false;
        }
        at = newline + 1;
      }
      while (at < bytes.length) {
        int used = message(bytes, at);
        if (used < 0) {
          return false;
        }
        if (used == 0) {
          break; // wait for the rest
        }
        at += used;
        if (terminal.ended()) {
          return false;
        }
      }
      pending.reset();
      pending.write(bytes, at, bytes.length - at);
      return true;
    }

    private boolean login(String line) throws IOException {
      int colon = line.indexOf(':');
      String user = colon < 0 ? "" : line.substring(0, colon);
      String given = colon < 0 ? "" : line.substring(colon + 1).strip();
      if (user.contains("!")
          || !user.equals(ticket.user())
          || !MessageDigest.isEqual(
              given.getBytes(StandardCharsets.UTF_8),
              ticket.ticket().getBytes(StandardCharsets.UTF_8))) {
        return false;
      }
      String name = cluster.consoleName(ticket.node(), ticket.type(), ticket.vmid());
      if (name == null) {
        return false;
      }
      String device =
          ticket.type().equals(Guest.QEMU)
              ? (ticket.serial() == null
                  ? null
                  : "ttyS" + ticket.serial().substring("serial".length()))
              : "console";
      terminal = new FakeTerminal(name, ticket.vmid(), device);
      ws.sendBinary("OK".getBytes(StandardCharsets.US_ASCII));
      ws.sendBinary(terminal.open());
      return true;
    }

    /** Reads one message at {@code at}: bytes used, 0 when incomplete, -1 when malformed. */
    private int message(byte[] b, int at) throws IOException {
      switch (b[at]) {
        case '2':
          return 1;
        case '0':
          {
            int[] length = number(b, at + 2);
            if (length == null) {
              return 0;
            }
            if (length[0] < 0 || length[0] > WebSocketConnection.MAX_MESSAGE) {
              return -1;
            }
            int start = length[1] + 1;
            if (b.length - start < length[0]) {
              return 0;
            }
            byte[] typed = new byte[length[0]];
            System.arraycopy(b, start, typed, 0, typed.length);
            byte[] shown = terminal.type(typed);
            if (shown.length > 0) {
              ws.sendBinary(shown);
            }
            return start + length[0] - at;
          }
        case '1':
          {
            int[] columns = number(b, at + 2);
            if (columns == null) {
              return 0;
            }
            if (columns[0] < 1) {
              return -1;
            }
            int[] rows = number(b, columns[1] + 1);
            if (rows == null) {
              return 0;
            }
            if (rows[0] < 1) {
              return -1;
            }
            terminal.resize(columns[0], rows[0]);
            return rows[1] + 1 - at;
          }
        default:
          return -1;
      }
    }
  }

  /**
   * The decimal number at {@code from} (after a {@code TYPE:}) up to the next colon: its value and
   * the colon's index; null when the colon has not arrived; a value of -1 when it is no number.
   */
  private static int[] number(byte[] b, int from) {
    if (from - 1 >= b.length) {
      return null;
    }
    if (b[from - 1] != ':') {
      return new int[] {-1, from};
    }
    long value = 0;
    for (int i = from; i < b.length; i++) {
      if (b[i] == ':') {
        return i == from ? new int[] {-1, i} : new int[] {(int) value, i};
      }
      if (b[i] < '0' || b[i] > '9' || i - from > 9) {
        return new int[] {-1, i};
      }
      value = value * 10 + (b[i] - '0');
    }
    return null;
  }

  private static int indexOf(byte[] b, int from, byte wanted) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
