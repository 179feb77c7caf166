package org.berth.provisioning.boundary;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.platform.refusal.Refusal;

/**
 * The WebSocket of a guest's console page, {@code /console/{id}}. Its first text message is the
 * ticket the page was given ({@link Consoles#ticket}), good only for the person signed in on the
 * socket; every later one is what the person typed. A binary message {@code resize COLUMNS ROWS}
 * gives the browser terminal's size. What the guest writes comes back as binary messages. A refusal
 * closes the socket with code 1008 and the reason in words; the page shows it.
 */
@ServerEndpoint("/console/{id}")
public class ConsoleEndpoint {

  private static final Logger LOG = Logger.getLogger(ConsoleEndpoint.class.getName());

  /** The largest message the browser may send: a paste of 64 KiB. */
  static final int MAX_MESSAGE = 64 * 1024;

  private static final java.util.regex.Pattern RESIZE =
      java.util.regex.Pattern.compile("resize ([1-9][0-9]{0,2}) ([1-9][0-9]{0,2})");

  /** How long the page has to send its ticket. */
  static final long TICKET_WAIT_MILLIS = 10_000;

  @Inject Consoles consoles;

  private boolean opened;

  @OnOpen
  public void open(Session session) {
    session.setMaxTextMessageBufferSize(MAX_MESSAGE);
    session.setMaxBinaryMessageBufferSize(64);
    session.setMaxIdleTimeout(TICKET_WAIT_MILLIS);
  }

  @OnMessage
  public void message(Session session, @PathParam("id") String id, String text) {
    try {
      if (!opened) {
        long request;
        try {
          request = Long.parseLong(id);
        } catch (NumberFormatException e) {
          throw new Consoles.ConsoleRefused("there is no such request");
        }
        java.security.Principal user = session.getUserPrincipal();
        consoles.open(
            session.getId(), request, text, user == null ? null : user.getName(), sink(session));
        opened = true;
        if (!session.isOpen()) {
          // the page went while the hypervisor opened the console: nobody will close it
          consoles.close(session.getId(), "the page was closed");
          return;
        }
        session.setMaxIdleTimeout(0); // idle consoles are closed by Consoles, which says why
        return;
      }
      consoles.input(session.getId(), text.getBytes(StandardCharsets.UTF_8));
    } catch (Refusal e) {
      refuse(session, e.getMessage());
    } catch (IOException e) {
      consoles.close(session.getId(), "the console ended: " + e.getMessage());
    }
  }

  /** The browser terminal's size, {@code resize COLUMNS ROWS}; anything else is refused. */
  @OnMessage
  public void control(Session session, ByteBuffer message) {
    if (!opened) {
      refuse(session, "the console's ticket must come first");
      return;
    }
    byte[] bytes = new byte[Math.min(message.remaining(), 64)];
    message.get(bytes);
    java.util.regex.Matcher m =
        RESIZE.matcher(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
    if (!m.matches()) {
      refuse(session, "a control message must be 'resize COLUMNS ROWS', each from 1 to 999");
      return;
    }
    try {
      consoles.resize(session.getId(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (Refusal e) {
      refuse(session, e.getMessage());
    } catch (IOException e) {
      consoles.close(session.getId(), "the console ended: " + e.getMessage());
    }
  }

  @OnClose
  public void close(Session session) {
    consoles.close(session.getId(), "the page was closed");
  }

  @OnError
  public void error(Session session, Throwable error) {
    LOG.log(Level.FINE, "Console socket failed", error);
    consoles.close(session.getId(), "the connection failed");
  }

  private static Consoles.Sink sink(Session session) {
    return new Consoles.Sink() {
      @Override
      public void send(byte[] bytes, int length) throws IOException {
        synchronized (session) {
          session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes, 0, length));
        }
      }

      @Override
      public void end(String why) {
        refuse(session, why);
      }
    };
  }

  /** Closes the socket with the reason in words (cut to the 123 bytes a close frame holds). */
  private static void refuse(Session session, String why) {
    if (!session.isOpen()) {
      return;
    }
    String reason = why;
    while (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
      reason = reason.substring(0, reason.length() - 2) + "…";
    }
    try {
      synchronized (session) {
        session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, reason));
      }
    } catch (IOException e) {
      // the browser is gone already
    }
  }
}
