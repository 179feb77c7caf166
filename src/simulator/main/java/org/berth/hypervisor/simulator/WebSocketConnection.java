package org.berth.hypervisor.simulator;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server's end of one WebSocket (RFC 6455) after its handshake: reads the client's masked
 * frames into whole messages, answers pings, and sends unmasked binary frames. A message larger
 * than {@link #MAX_MESSAGE} closes the connection with 1009; a frame that breaks the protocol with
 * 1002. Sending and closing may happen from any thread, one frame at a time; reading from one.
 */
final class WebSocketConnection implements Closeable {

  /** The largest message a client may send, whole: a paste into a terminal. */
  static final int MAX_MESSAGE = 64 * 1024;

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private boolean closed;
  private final java.util.concurrent.locks.ReentrantLock sending =
      new java.util.concurrent.locks.ReentrantLock();

  /** A whole message: its kind and payload. */
  record Message(boolean text, byte[] payload) {}

  /** The client broke the protocol; the connection is closed with {@code code}. */
  static final class ProtocolViolation extends IOException {
    private static final long serialVersionUID = 1L;
    final int code;

    ProtocolViolation(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  /**
   * @param in the socket's input, positioned after the handshake (it may buffer)
   */
  WebSocketConnection(Socket socket, InputStream in) throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
  }

  /** The {@code Sec-WebSocket-Accept} answer to a client's {@code Sec-WebSocket-Key}. */
  static String accept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key.strip() + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The next whole message; null when the client closed the connection (its close frame is
   * answered) or the socket ended.
   *
   * @throws ProtocolViolation after closing the connection with the code that says why
   */
  Message read() throws IOException {
    ByteArrayOutputStream message = null;
    boolean text = false;
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = readByte();
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0f;
      if ((b0 & 0x70) != 0) {
        throw violation(1002, "reserved bits are set");
      }
      if ((b1 & 0x80) == 0) {
        throw violation(1002, "a client's frames must be masked");
      }
      long length = b1 & 0x7f;
      if (length == 126) {
        length = readUnsigned(2);
      } else if (length == 127) {
        length = readUnsigned(8);
      }
      if (opcode >= 0x8 && (!fin || length > 125)) {
        throw violation(1002, "a control frame must be whole and at most 125 bytes");
      }
      long before = message == null ? 0 : message.size();
      if (length < 0 || before + length > MAX_MESSAGE) {
        throw violation(1009, "a message may have at most " + MAX_MESSAGE + " bytes");
      }
      byte[] mask = readFully(4);
      byte[] payload = readFully((int) length);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      switch (opcode) {
        case 0x8 -> {
          close(payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1000, "");
          return null;
        }
        case 0x9 -> send(0xA, payload);
        case 0xA -> {
          // an answer to a ping this side never sends
        }
        case 0x1, 0x2 -> {
          if (message != null) {
            throw violation(1002, "a new message began before the last one ended");
          }
          text = opcode == 0x1;
          message = new ByteArrayOutputStream();
          message.write(payload);
        }
        case 0x0 -> {
          if (message == null) {
            throw violation(1002, "a continuation frame without a message");
          }
          message.write(payload);
        }
        default -> throw violation(1002, "unknown opcode " + opcode);
      }
      if (fin && message != null) {
        return new Message(text, message.toByteArray());
      }
    }
  }

  void sendBinary(byte[] payload) throws IOException {
    send(0x2, payload);
  }

  /**
   * Sends a close frame with {@code code} and {@code reason}, once, and closes the socket. The
   * frame is sent only if no other send is under way: a client that stops reading must not hold up
   * the thread that closes it, and closing the socket ends the stuck send.
   */
  void close(int code, String reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (sending.tryLock()) {
      try {
        byte[] words = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(words.length, 123)];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(words, 0, payload, 2, payload.length - 2);
        frame(0x8, payload);
      } catch (IOException e) {
        // the client is gone already
      } finally {
        sending.unlock();
      }
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  @Override
  public void close() {
    close(1000, "");
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private void send(int opcode, byte[] payload) throws IOException {
    sending.lock();
    try {
      if (isClosed()) {
        throw new IOException("the WebSocket is closed");
      }
      frame(opcode, payload);
    } finally {
      sending.unlock();
    }
  }

  private void frame(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(payload.length);
    } else if (payload.length < 65536) {
      frame.write(126);
      frame.write(payload.length >> 8);
      frame.write(payload.length);
    } else {
      frame.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift));
      }
    }
    frame.write(payload);
    out.write(frame.toByteArray());
    out.flush();
  }

  private ProtocolViolation violation(int code, String why) {
    close(code, why);
    return new ProtocolViolation(code, why);
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the WebSocket ended inside a frame");
    }
    return b;
  }

  private long readUnsigned(int bytes) throws IOException {
    long value = 0;
    for (int i = 0; i < bytes; i++) {
      value = (value << 8) | readByte();
    }
    return value;
  }

  private byte[] readFully(int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException("the WebSocket ended inside a frame");
    }
    return bytes;
  }
}
