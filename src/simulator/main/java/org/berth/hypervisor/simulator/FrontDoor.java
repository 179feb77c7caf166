package org.berth.hypervisor.simulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The simulated cluster's listening socket. The JDK's HTTP server, which serves the API, cannot
 * hand a connection over to a WebSocket, and Proxmox serves its console WebSocket ({@code
 * vncwebsocket}) on the API's own port. So this door accepts every connection, reads the head of
 * its first request, and either gives it to {@link Upgrades} (a WebSocket upgrade it wants) or
 * relays the connection byte for byte, both ways, to the HTTP server behind it on loopback. TLS, if
 * any, ends here.
 *
 * <p>Every request's head is read, on kept-alive connections too, since {@code java.net.http} may
 * ask for a WebSocket on a connection that has served other requests; bodies and answers pass
 * unread.
 */
final class FrontDoor implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(FrontDoor.class.getName());

  /** The largest request head read; a larger one is answered 431. */
  static final int MAX_HEAD = 16 * 1024;

  /** Connections open at once, at most; more are closed as they arrive. */
  static final int MAX_CONNECTIONS = 512;

  /**
   * How long a relayed connection may send nothing, inside a body or between requests; the HTTP
   * server behind closes idle connections sooner (30 s), so only a stalled client meets it.
   */
  private static final int RELAY_TIMEOUT_MILLIS = 300_000;

  /** How long a new connection has to send its request head (and finish TLS). */
  private static final int HEAD_TIMEOUT_MILLIS = 30_000;

  /** Takes the WebSocket upgrades of some paths. */
  interface Upgrades {
    /** Whether this head asks for an upgrade served by {@link #serve}. */
    boolean wants(Head head);

    /**
     * Serves the connection until it ends, answering the handshake first.
     *
     * @param in the socket's input, positioned after the head
     */
    void serve(Head head, Socket socket, InputStream in) throws IOException;
  }

  /** A request's head: its request line, its headers (names in lower case) and its bytes. */
  record Head(String method, String target, Map<String, String> headers, byte[] raw) {

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    String rawQuery() {
      int q = target.indexOf('?');
      return q < 0 ? null : target.substring(q + 1);
    }

    /** Whether it asks for a WebSocket ({@code Upgrade: websocket}). */
    boolean upgradesToWebSocket() {
      String upgrade = header("upgrade");
      return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }
  }

  private final ServerSocket listener;
  private final InetSocketAddress backend;
  private final Upgrades upgrades;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads;
  private final Thread acceptor;
  private volatile boolean stopping;

  FrontDoor(ServerSocket listener, InetSocketAddress backend, Upgrades upgrades) {
    this.listener = listener;
    this.backend = backend;
    this.upgrades = upgrades;
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "simulated-proxmox-door-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.acceptor = new Thread(this::acceptAll, "simulated-proxmox-accept");
    this.acceptor.setDaemon(true);
  }

  void start() {
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptAll() {
    while (!stopping) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!stopping) {
          LOG.log(Level.WARNING, "The simulated cluster stops accepting connections", e);
        }
        return;
      }
      if (open.size() >= MAX_CONNECTIONS) {
        quietly(client);
        continue;
      }
      open.add(client);
      try {
        threads.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        forget(client);
      }
    }
  }

  private void serve(Socket client) {
    try {
      client.setTcpNoDelay(true);
      client.setSoTimeout(HEAD_TIMEOUT_MILLIS);
      InputStream in = new BufferedInputStream(client.getInputStream());
      Head head = nextHead(client, in);
      if (head == null) {
        return;
      }
      if (upgrades.wants(head)) {
        client.setSoTimeout(0); // a terminal may be quiet; its watcher closes it with its guest
        upgrades.serve(head, client, in);
      } else {
        client.setSoTimeout(RELAY_TIMEOUT_MILLIS);
        relay(head, client, in);
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "A connection to the simulated cluster ended", e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "A connection to the simulated cluster failed", e);
    } finally {
      forget(client);
    }
  }

  /**
   * Relays the connection's requests to the HTTP server, and its answers back, until either side
   * closes it. Each request's head is read, so that a WebSocket upgrade asked on a kept-alive
   * connection is still served here: the connection to the HTTP server is then dropped, its answers
   * all delivered, since a client waits for an answer before it asks again.
   */
  private void relay(Head first, Socket client, InputStream in) throws IOException {
    try (Socket back = new Socket()) {
      open.add(back);
      AtomicBoolean handedOver = new AtomicBoolean();
      CountDownLatch answered = new CountDownLatch(1);
      try {
        back.connect(backend, HEAD_TIMEOUT_MILLIS);
        back.setTcpNoDelay(true);
        threads.execute(
            () -> {
              try {
                pump(back.getInputStream(), client.getOutputStream());
              } catch (IOException e) {
                // either side closed
              } finally {
                if (!handedOver.get()) {
                  quietly(client);
                }
                answered.countDown();
              }
            });
        OutputStream toBack = back.getOutputStream();
        Head head = first;
        while (true) {
          if (upgrades.wants(head)) {
            handedOver.set(true);
            quietly(back);
            upgrades.serve(head, client, in);
            return;
          }
          toBack.write(head.raw());
          body(head, in, toBack);
          toBack.flush();
          head = nextHead(client, in);
          if (head == null) {
            back.shutdownOutput(); // the client is done asking; its answers may still come
            answered.await(HEAD_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return;
          }
        }
      } catch (RejectedExecutionException e) {
        throw new IOException("the simulated cluster is stopping", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        open.remove(back);
      }
    }
  }

  /**
   * The next request's head; null when the connection ends first or the head is too large, which is
   * answered 431 and ends the connection.
   */
  private static Head nextHead(Socket client, InputStream in) throws IOException {
    try {
      return readHead(in);
    } catch (BadHead e) {
      answer(client, e.status, e.getMessage());
      return null;
    }
  }

  /** Copies a request's body, framed by its {@code Content-Length} or chunked. */
  private static void body(Head head, InputStream in, OutputStream out) throws IOException {
    String encoding = head.header("transfer-encoding");
    if (encoding != null && encoding.equalsIgnoreCase("chunked")) { // as the JDK's server reads it
      while (true) {
        String size = line(in, out);
        int semicolon = size.indexOf(';');
        long length;
        try {
          length =
              Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("a chunk's size is no number: " + size);
        }
        if (length == 0) {
          while (!line(in, out).isEmpty()) {
            // trailers, up to the empty line
          }
          return;
        }
        copy(in, out, length + 2); // the chunk and its CRLF
      }
    }
    String length = head.header("content-length");
    if (length != null) {
      try {
        copy(in, out, Long.parseLong(length.strip()));
      } catch (NumberFormatException e) {
        throw new IOException("Content-Length is no number: " + length);
      }
    }
  }

  /** Copies one line, its CRLF included; answers it without the CRLF. */
  private static String line(InputStream in, OutputStream out) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      out.write(b);
      if (b == '\n') {
        return line.toString().strip();
      }
      if (line.length() > MAX_HEAD) {
        throw new IOException("a chunk line is too long");
      }
      line.append((char) b);
    }
    throw new EOFException("the request ended inside its body");
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("the request ended inside its body");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static void pump(InputStream from, OutputStream to) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    int n;
    while ((n = from.read(buffer)) >= 0) {
      to.write(buffer, 0, n);
      if (from.available() == 0) {
        to.flush();
      }
    }
    to.flush();
  }

  /**
   * The head of the next request, up to its empty line; null when the connection ends first. Empty
   * lines before the request line are skipped (RFC 9112, 2.2).
   *
   * @throws BadHead when a line ends in a bare LF, which the HTTP server behind would not read as a
   *     line end, or there is no request line
   */
  static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
    int previous = -1;
    boolean emptyLine = false;
    while (!emptyLine) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\n' && previous != '\r') {
        throw new BadHead("400 Bad Request", "request lines must end in CRLF");
      }
      raw.write(b);
      if (raw.size() > MAX_HEAD) {
        throw new BadHead("431 Request Header Fields Too Large", "request head too large");
      }
      if (b == '\n') {
        if (raw.size() == 2) {
          raw.reset(); // an empty line before the request line
        } else {
          byte[] sofar = raw.toByteArray();
          emptyLine = sofar.length >= 4 && sofar[sofar.length - 3] == '\n';
        }
      }
      previous = b;
    }
    byte[] bytes = raw.toByteArray();
    String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ", 3);
    if (requestLine.length != 3) {
      throw new BadHead("400 Bad Request", "no request line");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    return new Head(requestLine[0], requestLine[1], headers, bytes);
  }

  /** Answers a short plain HTTP error and closes the connection. */
  static void answer(Socket client, String status, String message) {
    byte[] body =
        ("{\"data\":null,\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + "\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    try {
      OutputStream out = client.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // the client is gone
    }
    quietly(client);
  }

  private void forget(Socket socket) {
    open.remove(socket);
    quietly(socket);
  }

  private static void quietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  /** Stops accepting and cuts off every open connection. */
  @Override
  public void close() {
    stopping = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closed already
    }
    for (Socket socket : open) {
      quietly(socket);
    }
    open.clear();
    threads.shutdownNow();
  }

  /** A request head the door does not relay: the status to answer and why. */
  static final class BadHead extends SocketException {
    private static final long serialVersionUID = 1L;
    final String status;

    BadHead(String status, String why) {
      super(why);
      this.status = status;
    }
  }
}
