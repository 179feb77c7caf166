package org.berth.hypervisor.simulator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Password sign-in and console tickets, as Proxmox VE has them. {@code POST /access/ticket} gives a
 * user who signs in a ticket, which comes back as the {@code PVEAuthCookie} cookie, with the {@code
 * CSRFPreventionToken} header on every change. {@code termproxy} gives a ticket for one guest's
 * terminal on one port, which {@code vncwebsocket} takes once and the terminal checks against the
 * user it names.
 *
 * <p>The simulated cluster has at most one such user, the console user of its settings, and that
 * user holds only {@code VM.Console}. Everything else needs the API token.
 */
final class ConsoleAccess {

  static final Duration SIGN_IN_LIFE = Duration.ofHours(2);
  static final Duration VNC_TICKET_LIFE = Duration.ofSeconds(40);

  /** Tickets of each kind kept at most; the oldest go first. */
  static final int MAX_TICKETS = 1000;

  static final int FIRST_PORT = 5900;
  static final int LAST_PORT = 5999;

  /** A signed-in user's ticket. */
  record SignIn(String user, String csrf, Instant expires) {}

  /**
   * A terminal ticket: for whom, which guest, which port, and the serial port a VM's terminal is on
   * (null: the QEMU monitor, as {@code qm monitor}).
   */
  record VncTicket(
      String ticket,
      String user,
      String node,
      String type,
      int vmid,
      int port,
      String serial,
      Instant expires) {}

  private final String user;
  private final byte[] password;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, SignIn> signIns = new LinkedHashMap<>();
  private final Map<String, VncTicket> vncTickets = new LinkedHashMap<>();
  private int nextPort = FIRST_PORT;

  /**
   * @param user the one user who may sign in, {@code name@realm}; null lets nobody sign in
   * @param password that user's password
   */
  ConsoleAccess(String user, String password) {
    this.user = user;
    this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Signs {@code username} in, the realm given apart or after {@code @}; answers the ticket, the
   * CSRF token and the user's name, or refuses with 401 as Proxmox does, without saying why.
   */
  synchronized JsonObject signIn(String username, String realm, String given) {
    String name = realm != null && !username.contains("@") ? username + "@" + realm : username;
    boolean known =
        user != null
            && name.equals(user)
            && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), password);
    if (!known) {
      throw ProxmoxError.status(401, "authentication failure");
    }
    Instant now = Instant.now();
    String stamp = Long.toHexString(now.getEpochSecond()).toUpperCase(Locale.ROOT);
    String ticket = "PVE:" + user + ":" + stamp + "::" + secret(48);
    String csrf = stamp + ":" + secret(24);
    prune(signIns, now);
    signIns.put(ticket, new SignIn(user, csrf, now.plus(SIGN_IN_LIFE)));
    return Json.createObjectBuilder()
        .add("ticket", ticket)
        .add("CSRFPreventionToken", csrf)
        .add("username", user)
        .add("clustername", "simulated")
        .build();
  }

  /** Forgets every sign-in, as Proxmox does when the ticket's key is renewed or replaced. */
  synchronized void forgetSignIns() {
    signIns.clear();
  }

  /** The user signed in with the ticket in a {@code Cookie} header; null when there is none. */
  synchronized SignIn signedIn(String cookieHeader) {
    String ticket = cookie(cookieHeader, "PVEAuthCookie");
    if (ticket == null) {
      return null;
    }
    SignIn s = signIns.get(ticket);
    if (s == null || s.expires().isBefore(Instant.now())) {
      return null;
    }
    return s;
  }

  /** A terminal ticket for {@code who} (a user or an API token) on one guest. */
  synchronized VncTicket issue(String who, String node, String type, int vmid, String serial) {
    Instant now = Instant.now();
    prune(vncTickets, now);
    int port = nextPort;
    nextPort = nextPort == LAST_PORT ? FIRST_PORT : nextPort + 1;
    String ticket =
        "PVEVNC:"
            + Long.toHexString(now.getEpochSecond()).toUpperCase(Locale.ROOT)
            + "::"
            + secret(48);
    VncTicket t =
        new VncTicket(ticket, who, node, type, vmid, port, serial, now.plus(VNC_TICKET_LIFE));
    vncTickets.put(ticket, t);
    return t;
  }

  /** A terminal ticket that is known and not expired, left as it is; null otherwise. */
  synchronized VncTicket valid(String ticket) {
    VncTicket t = ticket == null ? null : vncTickets.get(ticket);
    return t == null || t.expires().isBefore(Instant.now()) ? null : t;
  }

  /** Takes a terminal ticket once; null when it is unknown, used or expired. */
  synchronized VncTicket redeem(String ticket) {
    VncTicket t = ticket == null ? null : vncTickets.remove(ticket);
    return t == null || t.expires().isBefore(Instant.now()) ? null : t;
  }

  /** A cookie's value, {@code %XX} escapes decoded as Proxmox decodes them; null when missing. */
  static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String pair : header.split(";")) {
      String p = pair.strip();
      if (p.startsWith(name + "=")) {
        return unescape(p.substring(name.length() + 1));
      }
    }
    return null;
  }

  private static String unescape(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(bytes[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private String secret(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static <T> void prune(Map<String, T> tickets, Instant now) {
    tickets
        .values()
        .removeIf(
            t -> (t instanceof SignIn s ? s.expires() : ((VncTicket) t).expires()).isBefore(now));
    Iterator<String> oldest = tickets.keySet().iterator();
    while (tickets.size() >= MAX_TICKETS && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }
}
