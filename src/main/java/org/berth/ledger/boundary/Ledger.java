package org.berth.ledger.boundary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.berth.access.control.NatNetwork;
import org.berth.identity.Account;
import org.berth.ledger.control.AddressBatch;
import org.berth.ledger.control.AddressRules;
import org.berth.ledger.control.AddressTaken;
import org.berth.ledger.control.EntryInUse;
import org.berth.ledger.control.GitLedger;
import org.berth.ledger.control.Hostname;
import org.berth.ledger.control.LedgerBusy;
import org.berth.ledger.control.LedgerFile;
import org.berth.ledger.control.LedgerRemoteUnavailable;
import org.berth.ledger.control.LedgerUnreachable;
import org.berth.ledger.control.LedgerWriter;
import org.berth.ledger.control.Problem;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.database.DatabaseMigration;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.microprofile.config.Config;

/**
 * The address ledger for the rest of Berth: claims and releases for requests, maintenance for
 * admins, and keeping up with the remote (at start-up, every {@code
 * berth.ledger.fetch-interval-seconds}, and when a webhook says so).
 *
 * <p>No method runs inside a database transaction: Git is reached first, the index is written after
 * in its own short transactions.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Ledger {

  private static final Logger LOG = Logger.getLogger(Ledger.class.getName());

  @Inject Config config;
  @Inject DatabaseMigration database;
  @Inject org.berth.platform.config.Mode mode;
  @Inject MeterRegistry registry;

  @Resource(lookup = "java:app/jdbc/berth")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  private LedgerSettings settings;
  private AddressRules addressRules = AddressRules.SPECIAL_RANGES_ONLY;
  private volatile LedgerWriter writer;
  private volatile String lastError;
  private volatile String readFailure;
  private ScheduledFuture<?> syncing;
  private volatile long lastSyncNanos;
  private Counter syncFailures;
  private Counter syncRequests;
  private final Map<String, Counter> claims = new ConcurrentHashMap<>();

  @PostConstruct
  void start() {
    meters();
    String nat =
        config.getOptionalValue("berth.nat.network", String.class).orElse(NatNetwork.DEFAULT);
    try {
      addressRules =
          AddressRules.of(
              config.getOptionalValue("berth.ledger.guest-networks", String.class).orElse(""), nat);
    } catch (IllegalArgumentException e) {
      addressRules = AddressRules.of("", nat);
      lastError = "Invalid setting: berth.ledger.guest-networks " + e.getMessage();
      LOG.log(
          Level.SEVERE,
          "The ledger is not available. Invalid setting: berth.ledger.guest-networks {0}",
          e.getMessage());
      return;
    }
    try {
      settings = LedgerSettings.from(config);
    } catch (InvalidSetting e) {
      lastError = "Invalid setting: " + e.getMessage();
      LOG.log(Level.SEVERE, "The ledger is not available. Invalid setting: {0}", e.getMessage());
      return;
    }
    syncing =
        scheduler.scheduleWithFixedDelay(
            this::syncQuietly, 0, settings.fetchIntervalSeconds(), TimeUnit.SECONDS);
  }

  /**
   * The ledger's meters: how long ago a sync last succeeded, whether the remote head is broken or
   * the ledger unreadable, sync failures, syncs webhooks asked for, claims by outcome, and pushes
   * the remote rejected because someone else pushed first (each is tried again) or that were given
   * up after every attempt.
   */
  private void meters() {
    Gauge.builder(
            "berth_ledger_last_sync_age",
            this,
            l -> l.lastSyncNanos == 0 ? Double.NaN : (System.nanoTime() - l.lastSyncNanos) / 1e9)
        .description("How long ago Berth last fetched and read the ledger remote successfully")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("berth_ledger_head_broken", this, l -> l.broken().isPresent() ? 1 : 0)
        .description("Whether the remote head has problems (Berth serves the last good commit)")
        .register(registry);
    Gauge.builder("berth_ledger_unreadable", this, l -> l.unreadable().isPresent() ? 1 : 0)
        .description("Whether Berth holds no readable state of the ledger")
        .register(registry);
    syncFailures =
        Counter.builder("berth_ledger_sync_failures")
            .description("Periodic or requested syncs that failed")
            .register(registry);
    syncRequests =
        Counter.builder("berth_ledger_sync_requests")
            .description("Syncs webhooks asked for (with the right secret)")
            .register(registry);
    for (String outcome : List.of("claimed", "conflict", "busy", "refused", "failed")) {
      claims.put(
          outcome,
          Counter.builder("berth_ledger_claims")
              .description("Claims of ledger entries, by outcome")
              .tag("outcome", outcome)
              .register(registry));
    }
    FunctionCounter.builder(
            "berth_ledger_push_rejections",
            this,
            l -> l.writer == null ? 0 : l.writer.pushRejections())
        .description("Pushes the remote rejected because someone else pushed first")
        .register(registry);
    FunctionCounter.builder(
            "berth_ledger_gave_up", this, l -> l.writer == null ? 0 : l.writer.gaveUp())
        .description("Changes given up because the remote kept changing for every attempt")
        .register(registry);
  }

  @PreDestroy
  void stop() {
    if (syncing != null) {
      syncing.cancel(false);
    }
    if (writer != null) {
      writer.close();
    }
  }

  private synchronized LedgerWriter writer() {
    if (writer == null) {
      // Nothing can have been pushed without a writer.
      if (settings == null) {
        throw new LedgerUnreachable(lastError, null);
      }
      if (!database.status().ready()) {
        throw new LedgerUnreachable("the database is not ready", null);
      }
      if (settings.remote().isEmpty()) {
        if (!mode.isDemo()) {
          // Mode refuses such a start; this is the second lock on the demo's door.
          throw new LedgerUnreachable("berth.ledger.remote is not set", null);
        }
        DemoRemote.createIfMissing(settings.demoRemote(), settings.branch(), settings.path());
      }
      GitLedger git =
          GitLedger.open(
              settings.clone(),
              settings.remoteUri(),
              settings.branch(),
              settings.path(),
              new GitLedger.Access(
                  settings
                      .token()
                      .map(t -> new UsernamePasswordCredentialsProvider(settings.httpsUser(), t))
                      .orElse(null),
                  settings
                      .sshKey()
                      .map(k -> new GitLedger.SshKey(k, settings.sshKnownHosts().orElseThrow()))
                      .orElse(null)),
              settings.timeoutSeconds());
      LedgerWriter created =
          new LedgerWriter(
              git,
              dataSource,
              new PersonIdent(settings.committerName(), settings.committerEmail()),
              Clock.systemDefaultZone(),
              settings.pushAttempts(),
              addressRules,
              this::heldEntries);
      created.sync();
      writer = created;
      LOG.log(
          Level.INFO,
          "Ledger {0} ({1} on {2}) ready at {3}",
          new Object[] {
            git.safeRemote(),
            settings.path(),
            settings.branch(),
            created.snapshot().map(s -> s.commit().substring(0, 12)).orElse("no valid commit")
          });
    }
    return writer;
  }

  /** Fetches the remote and brings in what others pushed; returns the problems of its head. */
  public List<Problem> sync() {
    LedgerWriter w = writer();
    w.sync();
    return w.broken().map(LedgerWriter.Broken::problems).orElse(List.of());
  }

  /** Asks for a sync soon, without waiting for it (for webhooks). */
  public void requestSync() {
    syncRequests.increment();
    scheduler.execute(this::syncQuietly);
  }

  /**
   * The periodic sync: whatever goes wrong is logged and shown, and the next run comes. It catches
   * errors too, since an exception leaving a scheduled task cancels every later run; the limits of
   * {@code LedgerLimits} are there so that no commit brings one about.
   */
  private void syncQuietly() {
    if (!database.status().ready()) {
      return;
    }
    try {
      sync();
      writer().maintain();
      if (lastError != null) {
        LOG.log(Level.INFO, "The ledger can be read and reached again");
      }
      lastError = null;
      readFailure = null;
      lastSyncNanos = System.nanoTime();
    } catch (org.berth.ledger.control.LedgerRemoteUnavailable e) {
      failed(e.getMessage(), null);
    } catch (RuntimeException | Error e) {
      // Not the remote: Berth could not read what it fetched, or its clone.
      String message = e.getClass().getSimpleName() + ": " + e.getMessage();
      failed(message, e);
      readFailure = message;
    }
  }

  private void failed(String message, Throwable cause) {
    syncFailures.increment();
    if (!Objects.equals(message, lastError)) {
      if (cause == null) {
        LOG.log(Level.WARNING, "Ledger sync failed: {0}", message);
      } else {
        LOG.log(Level.SEVERE, "Ledger sync failed: " + message, cause);
      }
    }
    lastError = message;
  }

  /**
   * Why the ledger cannot be read at all, if it cannot: an invalid setting, no valid commit read
   * yet, or a sync that failed while reading (not just reaching the remote). A ledger whose head is
   * broken but whose last good state is served can be read.
   */
  public Optional<String> unreadable() {
    if (settings == null) {
      return Optional.of(lastError == null ? "the ledger settings are invalid" : lastError);
    }
    LedgerWriter w = writer;
    if (w == null || w.snapshot().isEmpty()) {
      String why =
          w != null && w.broken().isPresent()
              ? w.broken().get().describe()
              : lastError == null ? "the first sync is under way" : lastError;
      return Optional.of("no valid ledger commit has been read yet: " + why);
    }
    return Optional.ofNullable(readFailure)
        .map(f -> "the last sync could not read the ledger: " + f);
  }

  /** The entries live requests hold, as their claims recorded them. */
  private List<org.berth.ledger.control.Holdings.Holding> heldEntries() {
    String sql =
        "SELECT id, owner, ledger_host, mac, ipv4, ipv6 FROM guest_request"
            + " WHERE network_mode = 'LEDGER' AND claim_commit IS NOT NULL"
            + " AND address_released_at IS NULL";
    List<org.berth.ledger.control.Holdings.Holding> held = new java.util.ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        held.add(
            new org.berth.ledger.control.Holdings.Holding(
                rs.getString("ledger_host"),
                MacAddress.of(rs.getString("mac")),
                rs.getString("ipv4") == null ? null : Ipv4Address.parse(rs.getString("ipv4")),
                rs.getString("ipv6") == null ? null : Ipv6Address.parse(rs.getString("ipv6")),
                rs.getString("owner"),
                "request " + rs.getLong("id")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read which requests hold ledger entries", e);
    }
    return held;
  }

  /**
   * Which addresses ledger entries may carry and the jump host may forward to ({@code
   * berth.ledger.guest-networks}, {@code berth.nat.network}).
   */
  public AddressRules addressRules() {
    return addressRules;
  }

  /** Claims a free entry for {@code holder}; the commit is authored by {@code author}. */
  public LedgerWriter.Outcome claim(String host, String holder, Account author, String requestRef) {
    if (holder == null || !holder.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new InvalidInput(
          "holder", "must be a user name of 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
    String outcome = "failed";
    try {
      LedgerWriter.Outcome claimed = writer().claim(host(host), holder, ident(author), requestRef);
      outcome = "claimed";
      return claimed;
    } catch (AddressTaken e) {
      outcome = "conflict";
      throw e;
    } catch (LedgerBusy | LedgerRemoteUnavailable e) {
      outcome = "busy";
      throw e;
    } catch (Refusal e) {
      outcome = "refused";
      throw e;
    } finally {
      claims.get(outcome).increment();
    }
  }

  /**
   * Releases an entry held by {@code holder} (any holder when null: an admin's release, refused
   * with {@link EntryInUse} while a request holds the entry).
   */
  public LedgerWriter.Outcome release(
      String host, String holder, Account author, String requestRef) {
    if (holder == null) {
      refuseIfHeld(host);
    }
    return writer().release(host(host), holder, ident(author), requestRef);
  }

  /**
   * Removes a free entry from the ledger; refused with {@link EntryInUse} while a request holds it.
   */
  public LedgerWriter.Outcome retire(String host, Account admin) {
    refuseIfHeld(host);
    return writer().retire(host(host), ident(admin));
  }

  /**
   * Refuses an admin's release or retirement of an entry a request holds until its release commit
   * (which deleting the guest brings about).
   */
  private void refuseIfHeld(String host) {
    String sql =
        "SELECT id, state FROM guest_request WHERE lower(ledger_host) = lower(?)"
            + " AND address_released_at IS NULL ORDER BY id LIMIT 1";
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, host == null ? "" : host.strip());
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          throw new EntryInUse(host.strip(), rs.getLong(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check whether a request holds " + host, e);
    }
  }

  /** The entries a batch would add, and what would be wrong with them; nothing is written. */
  public BatchPreview preview(AddressBatch batch, String file) {
    List<LedgerFile.NewEntry> entries = batch.entries();
    String target = targetFile(file);
    return new BatchPreview(target, entries, writer().check(target, entries));
  }

  /** Adds a batch as one commit; refused whole if any entry clashes. */
  public LedgerWriter.Outcome add(AddressBatch batch, String file, Account admin) {
    List<LedgerFile.NewEntry> entries = batch.entries();
    String target = targetFile(file);
    String message =
        "Add "
            + entries.size()
            + (entries.size() == 1 ? " entry " : " entries ")
            + entries.get(0).host()
            + (entries.size() > 1 ? " to " + entries.get(entries.size() - 1).host() : "")
            + "\n";
    return writer().add(target, entries, message, ident(admin));
  }

  private String targetFile(String file) {
    String path = settings.path();
    if (GitLedger.isSingleFile(path)) {
      return path;
    }
    if (file == null || file.isBlank() || !file.matches("[A-Za-z0-9._-]+\\.ya?ml")) {
      throw new org.berth.ledger.control.InvalidBatchSpec(
          java.util.Map.of("file", "must name a .yaml file in " + path + ", such as 192.0.2.yaml"));
    }
    return path + "/" + file;
  }

  /** A batch before it is written. */
  public record BatchPreview(
      String file, List<LedgerFile.NewEntry> entries, List<Problem> problems) {}

  /** What the writer knows right now: problems of the remote head, if it does not validate. */
  public Optional<LedgerWriter.Broken> broken() {
    LedgerWriter w = writer;
    return w == null ? Optional.empty() : w.broken();
  }

  /** Why the ledger cannot be reached, if it cannot. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  public Optional<LedgerSettings> settings() {
    return Optional.ofNullable(settings);
  }

  /** Checks a webhook's secret, in constant time. False when no secret is configured. */
  public boolean webhookTokenMatches(String given) {
    return org.berth.platform.rest.SharedSecret.matches(
        given, settings == null ? Optional.empty() : settings.webhookToken());
  }

  private static Hostname host(String host) {
    return InvalidInput.check("host", () -> Hostname.of(host));
  }

  private static PersonIdent ident(Account account) {
    return new PersonIdent(
        account.displayName(),
        account.email() == null ? account.username() + "@localhost" : account.email());
  }
}
