package org.berth.hypervisor.proxmox;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.berth.hypervisor.GuestConsole;
import org.berth.hypervisor.HypervisorFailure;

/**
 * A terminal on a Proxmox VE guest through {@code termproxy}, spoken as Proxmox's own xterm.js
 * client speaks it. After {@code termproxy} has handed out a port and ticket to the console user,
 * the WebSocket {@code vncwebsocket} is opened with the user's ticket cookie; Berth sends {@code
 * USER:TICKET} and Proxmox answers {@code OK}. From then on, typing goes as {@code 0:LENGTH:DATA}
 * (LENGTH in bytes), a size as {@code 1:COLUMNS:ROWS:}, and {@code 2} keeps the connection alive;
 * everything Proxmox sends is the terminal's output.
 *
 * <p>Output is read as the browser takes it: at most {@link #BUFFERED} messages wait here before
 * Berth stops asking Proxmox for more.
 */
final class ProxmoxConsole implements GuestConsole, WebSocket.Listener {

  /**
   * The most typed at once in one message: a paste is split, since Proxmox's proxy drops frames
   * over 64 KiB.
   */
  static final int CHUNK = 16 * 1024;

  /** Messages from Proxmox held at most before the reader catches up. */
  static final int BUFFERED = 64;

  private static final byte[] END = new byte[0];

  private final Duration timeout;
  private final String what;
  private final BlockingQueue<byte[]> output = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> greeted = new CompletableFuture<>();
  private final ByteArrayOutputStream greeting = new ByteArrayOutputStream();
  private final Object requests = new Object();
  private boolean requestOwed;
  private volatile WebSocket socket;
  private CompletableFuture<WebSocket> pending; // the last message sent; guarded by this
  private volatile boolean closed;
  private final InputStream stream = new Output();

  private ProxmoxConsole(Duration timeout, String what) {
    this.timeout = timeout;
    this.what = what;
  }

  /**
   * Opens the terminal {@code termproxy} answered for, at {@code path} (the guest's API path).
   *
   * @throws HypervisorFailure when the WebSocket is refused or Proxmox does not answer {@code OK}
   */
  static ProxmoxConsole open(
      ProxmoxClient client,
      ProxmoxClient.SignIn as,
      String path,
      JsonObject terminal,
      Duration timeout,
      String what) {
    ProxmoxConsole console = new ProxmoxConsole(timeout, what);
    String ticket = terminal.getString("ticket", "");
    String user = terminal.getString("user", as.user());
    Map<String, String> query =
        Map.of("port", String.valueOf(port(terminal, what)), "vncticket", ticket);
    CompletableFuture<WebSocket> opening =
        client.webSocket(path + "/vncwebsocket", query, as, console);
    try {
      console.socket = opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      console
          .socket
          .sendText(user + ":" + ticket + "\n", true)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      console.greeted.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return console;
    } catch (ExecutionException e) {
      console.close();
      Throwable cause = e.getCause();
      if (cause instanceof HypervisorFailure failure) {
        throw failure;
      }
      throw new HypervisorFailure(
          "the terminal of "
              + what
              + " cannot be opened: "
              + (cause instanceof java.net.http.WebSocketHandshakeException h
                  ? "Proxmox answered " + h.getResponse().statusCode()
                  : String.valueOf(cause.getMessage())),
          true,
          cause);
    } catch (TimeoutException e) {
      opening.thenAccept(WebSocket::abort); // a WebSocket that opens after all has no owner
      console.close();
      throw new HypervisorFailure(
          "the terminal of " + what + " did not open within " + timeout.toSeconds() + " s", true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      opening.thenAccept(WebSocket::abort);
      console.close();
      throw new HypervisorFailure("interrupted while opening a terminal", true, e);
    }
  }

  /**
   * The port {@code termproxy} answered: a number, or a string of one, as Proxmox sends it (its
   * schema says integer, its Perl makes it a string); from 5900 to 5999, which {@code vncwebsocket}
   * takes.
   */
  static int port(JsonObject terminal, String what) {
    JsonValue value = terminal.get("port");
    int port = -1;
    if (value instanceof JsonNumber n && n.isIntegral()) {
      port = n.intValue();
    } else if (value instanceof JsonString text && text.getString().matches("\\d{1,5}")) {
      port = Integer.parseInt(text.getString());
    }
    if (port < 5900 || port > 5999) {
      throw new HypervisorFailure(
          "termproxy answered no port from 5900 to 5999 for " + what + ": " + value, false);
    }
    return port;
  }

  @Override
  public InputStream output() {
    return stream;
  }

  /** Types {@code bytes}, in messages of at most {@link #CHUNK} bytes each. */
  @Override
  public void write(byte[] bytes) throws IOException {
    for (int at = 0; at < bytes.length; at += CHUNK) {
      int length = Math.min(CHUNK, bytes.length - at);
      ByteArrayOutputStream message = new ByteArrayOutputStream(length + 12);
      message.writeBytes(("0:" + length + ":").getBytes(StandardCharsets.US_ASCII));
      message.write(bytes, at, length);
      send(message.toByteArray());
    }
  }

  @Override
  public void resize(int columns, int rows) throws IOException {
    send(("1:" + columns + ":" + rows + ":").getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Sends termproxy's keep-alive without waiting for it, and only when nothing else is being sent:
   * a stalled connection holds up no one who calls this.
   */
  @Override
  public synchronized void keepAlive() throws IOException {
    WebSocket ws = socket;
    if (ws == null || closed) {
      throw new IOException("the terminal is closed");
    }
    if (pending != null && !pending.isDone()) {
      return;
    }
    pending = ws.sendBinary(ByteBuffer.wrap(new byte[] {'2'}), true);
  }

  /**
   * One message at a time, as the WebSocket wants: waits for the one before (a keep-alive) and for
   * this one.
   */
  private synchronized void send(byte[] message) throws IOException {
    WebSocket ws = socket;
    if (ws == null || closed) {
      throw new IOException("the terminal is closed");
    }
    try {
      if (pending != null) {
        pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      pending = ws.sendBinary(ByteBuffer.wrap(message), true);
      pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the terminal of " + what + " ended", e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(
          "Proxmox did not take what was typed within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while typing");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    WebSocket ws = socket;
    if (ws != null) {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // Proxmox does not answer; the connection is cut below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ws.abort();
    }
    end();
  }

  // ---- what Proxmox sends ------------------------------------------------------------------

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    received(ws, bytes);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    received(ws, data.toString().getBytes(StandardCharsets.UTF_8));
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
    greeted.completeExceptionally(
        new HypervisorFailure(
            "Proxmox closed the terminal of "
                + what
                + " before it answered ("
                + status
                + (reason.isBlank() ? "" : ": " + reason)
                + "): termproxy refused the console user's ticket",
            false));
    end();
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    greeted.completeExceptionally(
        new HypervisorFailure(
            "the terminal of " + what + " failed: " + error.getMessage(), true, error));
    end();
  }

  private void received(WebSocket ws, byte[] bytes) {
    if (!greeted.isDone()) {
      greeting.writeBytes(bytes);
      if (greeting.size() < 2) {
        ws.request(1);
        return;
      }
      byte[] all = greeting.toByteArray();
      if (all[0] != 'O' || all[1] != 'K') {
        greeted.completeExceptionally(
            new HypervisorFailure(
                "Proxmox answered the terminal of " + what + " with something else than OK",
                false));
        ws.abort();
        end();
        return;
      }
      greeted.complete(null);
      bytes = java.util.Arrays.copyOfRange(all, 2, all.length);
    }
    if (bytes.length > 0) {
      output.add(bytes);
    }
    synchronized (requests) {
      if (output.size() < BUFFERED) {
        ws.request(1);
      } else {
        requestOwed = true;
      }
    }
  }

  private void end() {
    output.add(END);
  }

  /** The terminal's output, read as it comes; it ends with the WebSocket. */
  private final class Output extends InputStream {
    private byte[] current = new byte[0];
    private int at;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (at == current.length) {
        if (current == END) {
          return -1;
        }
        try {
          current = output.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading the terminal");
        }
        at = 0;
        if (current == END) {
          output.add(END);
          return -1;
        }
        synchronized (requests) {
          if (requestOwed && output.size() < BUFFERED && socket != null) {
            requestOwed = false;
            socket.request(1);
          }
        }
      }
      int n = Math.min(length, current.length - at);
      System.arraycopy(current, at, into, offset, n);
      at += n;
      return n;
    }

    @Override
    public void close() {
      ProxmoxConsole.this.close();
    }
  }
}
