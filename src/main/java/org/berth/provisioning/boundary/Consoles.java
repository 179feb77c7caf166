package org.berth.provisioning.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.hypervisor.GuestConsole;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.identity.Account;
import org.berth.platform.refusal.Refusal;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.control.UnknownRequest;
import org.berth.requests.entity.RequestState;

/**
 * Terminals on guests in the browser. The guest's page asks for a ticket for its owner or an admin
 * (the same rule as seeing the request); the page's WebSocket hands the ticket back as its first
 * message, and only then is the hypervisor's console opened and relayed. A ticket is good once and
 * for {@link #TICKET_LIFE}, and never travels in a URL, so it reaches no access log. Each opening
 * is in the request's audit trail. Open consoles are looked at every {@link #SWEEP}: one whose
 * guest is no longer ready or whose person may no longer see the request is closed, and so is one
 * nobody has typed into for {@code berth.console.idle-minutes}.
 */
@ApplicationScoped
public class Consoles {

  private static final Logger LOG = Logger.getLogger(Consoles.class.getName());

  static final Duration TICKET_LIFE = Duration.ofSeconds(60);
  static final Duration SWEEP = Duration.ofSeconds(10);

  /** Tickets not yet redeemed, at most: each page view makes one, and they expire in a minute. */
  static final int MAX_TICKETS = 1000;

  /** Bytes read from a console at once, and so the largest frame sent to the browser. */
  private static final int CHUNK = 8192;

  /** Where a console's output goes, and how it is ended: the WebSocket session. */
  public interface Sink {
    void send(byte[] bytes, int length) throws IOException;

    /** Ends the session, telling the browser why. */
    void end(String why);
  }

  /** A ticket for one person's console of one request. */
  record Ticket(long requestId, Account caller, Instant expires) {}

  /** An open console and what it takes to watch it. */
  private static final class Open {
    final long requestId;
    final Account caller;
    final GuestConsole console;
    final Sink sink;
    volatile Instant lastInput;

    Open(long requestId, Account caller, GuestConsole console, Sink sink, Instant now) {
      this.requestId = requestId;
      this.caller = caller;
      this.console = console;
      this.sink = sink;
      this.lastInput = now;
    }
  }

  @Inject Requests requests;
  @Inject Hypervisor hypervisor;
  @Inject ProvisioningSettings settings;

  @Resource ManagedExecutorService executor;
  @Resource ManagedScheduledExecutorService scheduler;

  Clock clock = Clock.systemUTC();

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
  private final Map<String, Open> open = new ConcurrentHashMap<>();
  private ScheduledFuture<?> sweeping;

  @PostConstruct
  void init() {
    if (scheduler != null) {
      sweeping =
          scheduler.scheduleWithFixedDelay(
              this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @PreDestroy
  void shutdown() {
    if (sweeping != null) {
      sweeping.cancel(false);
    }
    open.keySet().forEach(session -> close(session, "Berth is stopping"));
  }

  /**
   * A ticket for {@code caller}'s console of request {@code id}: refused as the request page is
   * (404) for someone who may not see it, and while its guest is not ready.
   */
  public String ticket(long id, Account caller) {
    RequestView r = requests.find(id, caller);
    guestOf(r);
    if (!offered()) {
      throw new ConsoleRefused(
          "Berth opens no consoles on this hypervisor; an admin can set it up (deployment.md)");
    }
    Instant now = clock.instant();
    tickets.values().removeIf(t -> t.expires().isBefore(now));
    if (tickets.size() >= MAX_TICKETS) {
      throw new ConsoleRefused("too many consoles are being opened; try again in a minute");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tickets.put(ticket, new Ticket(id, caller, now.plus(TICKET_LIFE)));
    return ticket;
  }

  /**
   * Opens the console a ticket is for, relays its output to {@code sink} until it ends, and records
   * the opening in the request's audit trail.
   *
   * @param session the WebSocket session's id, by which input and closing find the console
   * @param id the request the WebSocket was opened for; a ticket for another one is refused
   * @param user who opened the WebSocket, signed in; a ticket is good only for whom it was given
   */
  public void open(String session, long id, String ticket, String user, Sink sink) {
    Ticket t = ticket == null ? null : tickets.remove(ticket.strip());
    if (t == null || t.requestId() != id || t.expires().isBefore(clock.instant())) {
      throw new ConsoleRefused("the console's ticket is unknown or has expired; reload the page");
    }
    if (user == null || !user.equals(t.caller().username())) {
      throw new ConsoleRefused("the console's ticket is another person's; reload the page");
    }
    if (open.size() >= settings.consoleLimit()) {
      throw new ConsoleRefused(
          "Berth has "
              + settings.consoleLimit()
              + " consoles open, as many as berth.console.max-sessions allows; try again later");
    }
    RequestView r = requests.find(id, t.caller());
    GuestRef ref = guestOf(r);
    GuestConsole console;
    try {
      console = hypervisor.console(ref);
    } catch (HypervisorFailure e) {
      throw new ConsoleRefused("the console cannot be opened: " + e.getMessage());
    }
    open.put(session, new Open(id, t.caller(), console, sink, clock.instant()));
    requests.note(id, t.caller().username(), "opened the console");
    LOG.log(
        Level.INFO,
        "{0} opened the console of request {1} ({2})",
        new Object[] {t.caller().username(), id, ref});
    Runnable relay = () -> relay(session, console, sink);
    if (executor != null) {
      executor.execute(relay);
    } else {
      Thread thread = new Thread(relay, "console-" + id);
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Types what the browser sent into the console of {@code session}. */
  public void input(String session, byte[] bytes) throws IOException {
    Open o = open.get(session);
    if (o == null) {
      throw new ConsoleRefused("this console is closed");
    }
    o.lastInput = clock.instant();
    o.console.write(bytes);
  }

  /** Closes the console of {@code session}, if it is open, and tells the browser why. */
  public void close(String session, String why) {
    Open o = open.remove(session);
    if (o == null) {
      return;
    }
    o.console.close();
    o.sink.end(why);
  }

  /** Whether the hypervisor can open consoles at all, so that pages offer them. */
  public boolean offered() {
    return hypervisor.offersConsoles();
  }

  /** Tells the console of {@code session} the size of the browser's terminal. */
  public void resize(String session, int columns, int rows) throws IOException {
    Open o = open.get(session);
    if (o == null) {
      throw new ConsoleRefused("this console is closed");
    }
    o.console.resize(columns, rows);
  }

  /** How many consoles are open on this instance. */
  public int openCount() {
    return open.size();
  }

  private void relay(String session, GuestConsole console, Sink sink) {
    byte[] buffer = new byte[CHUNK];
    String why = "the console ended";
    try (InputStream out = console.output()) {
      int n;
      while ((n = out.read(buffer)) >= 0) {
        if (n > 0) {
          sink.send(buffer, n);
        }
      }
    } catch (IOException e) {
      why = open.containsKey(session) ? "the console ended: " + e.getMessage() : why;
    }
    close(session, why);
  }

  /**
   * Closes consoles that are idle, whose guest is no longer ready, or whose person lost access;
   * keeps the others' connections to the hypervisor alive.
   */
  void sweep() {
    Instant now = clock.instant();
    tickets.values().removeIf(t -> t.expires().isBefore(now));
    for (Map.Entry<String, Open> e : open.entrySet()) {
      String why = reasonToClose(e.getValue(), now);
      if (why != null) {
        close(e.getKey(), why);
      }
    }
  }

  /** Why a console should be closed now; null when it stays open (and was kept alive). */
  private String reasonToClose(Open o, Instant now) {
    if (o.lastInput.plus(settings.consoleIdle()).isBefore(now)) {
      return "nothing was typed for "
          + settings.consoleIdle().toMinutes()
          + " minutes (berth.console.idle-minutes)";
    }
    try {
      RequestView r = requests.find(o.requestId, o.caller);
      if (r.state() != RequestState.READY) {
        return "the guest is no longer ready ("
            + r.state().name().toLowerCase(java.util.Locale.ROOT)
            + ")";
      }
    } catch (UnknownRequest gone) {
      return "the request is no longer yours to see";
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "Cannot look at console of request " + o.requestId, ex);
    }
    try {
      o.console.keepAlive();
    } catch (IOException ex) {
      return "the console ended: " + ex.getMessage();
    }
    return null;
  }

  private static GuestRef guestOf(RequestView r) {
    if (r.state() != RequestState.READY || r.guest() == null) {
      throw new ConsoleRefused(
          "the guest has no console now: the request is "
              + r.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    return GuestRef.at(ProvisioningStore.typeOf(r.kind()), r.guest());
  }

  /** Why a console is not opened, in words for the person. */
  public static class ConsoleRefused extends Refusal {
    private static final long serialVersionUID = 1L;

    public ConsoleRefused(String why) {
      super(Kind.CONFLICT, "console_refused", why);
    }
  }
}
