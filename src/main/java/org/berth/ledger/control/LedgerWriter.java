package org.berth.ledger.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.berth.ledger.control.LedgerFile.NewEntry;
import org.berth.platform.refusal.Refusal;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Every change Berth makes to the ledger goes through here, and none can hand out an address twice.
 *
 * <ul>
 *   <li>Changes are serialised: within the process by a lock, across Berth instances sharing one
 *       database by a PostgreSQL advisory lock.
 *   <li>Changes that arrive while another is being written wait and then go together: each becomes
 *       its own commit, and one push carries them all.
 *   <li>The push is a compare-and-swap against the remote head the changes were made on. If anyone
 *       else pushed meanwhile, Berth fetches, checks each change again against the new head (an
 *       entry taken meanwhile is {@link AddressTaken}), re-applies and retries, a bounded number of
 *       times. Nothing is ever force-pushed.
 *   <li>If the remote head does not validate, the last good state is kept, every change is refused
 *       with {@link LedgerInvalid} naming the commit and its problems, and the first valid head
 *       that arrives ends that by itself.
 * </ul>
 *
 * <p>The index in PostgreSQL follows: rebuilt when the head moved by someone else's hand, only the
 * changed rows after Berth's own commits.
 */
public final class LedgerWriter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());

  /** The advisory lock all Berth instances take before changing the ledger. */
  static final long LOCK_KEY = 0x42657274684c6467L;

  static final int HISTORY_LIMIT = 10_000;

  /** The entry after a change, and the commit that made it. */
  public record Outcome(LedgerEntry entry, String commit) {}

  /** A remote head that does not validate. */
  public record Broken(String commit, List<Problem> problems) {
    public String describe() {
      String listed =
          problems.stream()
              .limit(5)
              .map(Problem::toString)
              .reduce((a, b) -> a + "; " + b)
              .orElse("");
      return "The ledger's head "
          + (commit == null ? "is missing" : "commit " + commit.substring(0, 12) + " is invalid")
          + " ("
          + problems.size()
          + (problems.size() == 1 ? " problem" : " problems")
          + (listed.isEmpty() ? "" : ": " + listed)
          + (problems.size() > 5 ? "; ..." : "")
          + "). Berth makes no changes until a commit fixes it.";
    }
  }

  /** What one change does to the ledger, worked out against a snapshot. */
  private record Plan(
      LedgerFile edited, boolean keepsHosts, String message, Hostname host, Hostname removed) {}

  private abstract static class Op {
    final PersonIdent author;
    final CompletableFuture<Outcome> result = new CompletableFuture<>();

    Op(PersonIdent author) {
      this.author = author;
    }

    abstract Plan plan(LedgerSnapshot ledger, LocalDate today);
  }

  private final GitLedger git;
  private final DataSource database;
  private final LedgerIndex index = new LedgerIndex();
  private final PersonIdent committer;
  private final Clock clock;
  private final int maxAttempts;
  private final ReentrantLock leader = new ReentrantLock();
  private final Queue<Op> queue = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicLong pushRejections =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong gaveUp =
      new java.util.concurrent.atomic.AtomicLong();

  private final AddressRules rules;
  private final Holdings holdings;
  private volatile LedgerSnapshot snapshot;
  private volatile Broken broken;
  private Connection connection;

  public LedgerWriter(
      GitLedger git, DataSource database, PersonIdent committer, Clock clock, int maxAttempts) {
    this(git, database, committer, clock, maxAttempts, AddressRules.SPECIAL_RANGES_ONLY);
  }

  /** A writer whose ledger's addresses must follow {@code rules}. */
  public LedgerWriter(
      GitLedger git,
      DataSource database,
      PersonIdent committer,
      Clock clock,
      int maxAttempts,
      AddressRules rules) {
    this(git, database, committer, clock, maxAttempts, rules, Holdings.NONE);
  }

  /**
   * A writer whose ledger's addresses must follow {@code rules}, and whose remote head must keep
   * the entries of {@code holdings}.
   */
  public LedgerWriter(
      GitLedger git,
      DataSource database,
      PersonIdent committer,
      Clock clock,
      int maxAttempts,
      AddressRules rules,
      Holdings holdings) {
    this.rules = rules;
    this.holdings = holdings;
    this.git = git;
    this.database = database;
    this.committer = committer;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  /** The last good state of the ledger, or empty before the first successful read. */
  public Optional<LedgerSnapshot> snapshot() {
    return Optional.ofNullable(snapshot);
  }

  /** The remote head's problems while it does not validate. */
  public Optional<Broken> broken() {
    return Optional.ofNullable(broken);
  }

  /** Claims a free entry for {@code holder}, as a commit authored by {@code author}. */
  public Outcome claim(Hostname host, String holder, PersonIdent author, String requestRef) {
    requireHolder(holder);
    return submit(
        new Op(author) {
          @Override
          Plan plan(LedgerSnapshot ledger, LocalDate today) {
            LedgerEntry entry = existing(ledger, host);
            if (!entry.isFree()) {
              throw new AddressTaken(
                  host
                      + " is taken by "
                      + entry.user()
                      + (entry.date() == null ? "" : " since " + entry.date()));
            }
            LedgerFile file = ledger.fileOf(host).orElseThrow();
            return new Plan(
                file.claim(host, holder, today.toString()),
                true,
                message("Claim " + host + " for " + holder, requestRef),
                host,
                null);
          }
        });
  }

  /**
   * Releases an entry. With {@code expectedHolder} the entry must be held by that person; without,
   * any holder (an admin's release).
   */
  public Outcome release(
      Hostname host, String expectedHolder, PersonIdent author, String requestRef) {
    return submit(
        new Op(author) {
          @Override
          Plan plan(LedgerSnapshot ledger, LocalDate today) {
            LedgerEntry entry = existing(ledger, host);
            if (entry.isFree()) {
              throw new NotHolder(host + " is not claimed");
            }
            if (expectedHolder != null && !entry.user().equals(expectedHolder)) {
              throw new NotHolder(
                  host + " is held by " + entry.user() + ", not by " + expectedHolder);
            }
            LedgerFile file = ledger.fileOf(host).orElseThrow();
            return new Plan(
                file.release(host),
                true,
                message("Release " + host + " from " + entry.user(), requestRef),
                host,
                null);
          }
        });
  }

  /** Removes a free entry from the ledger. */
  public Outcome retire(Hostname host, PersonIdent author) {
    return submit(
        new Op(author) {
          @Override
          Plan plan(LedgerSnapshot ledger, LocalDate today) {
            LedgerEntry entry = existing(ledger, host);
            if (!entry.isFree()) {
              throw new AddressTaken(
                  host + " is taken by " + entry.user() + "; it must be released before retiring");
            }
            LedgerFile file = ledger.fileOf(host).orElseThrow();
            return new Plan(file.retire(host), false, "Retire " + host, null, host);
          }
        });
  }

  /**
   * Adds entries to {@code file} (created if missing) in one commit. They are checked against the
   * whole ledger first: a clash refuses the whole batch with {@link InvalidBatch}.
   */
  public Outcome add(String file, List<NewEntry> entries, String message, PersonIdent author) {
    return submit(
        new Op(author) {
          @Override
          Plan plan(LedgerSnapshot ledger, LocalDate today) {
            LedgerFile target = appended(ledger, file, entries);
            List<Problem> problems = replaced(ledger, "check", target).problems();
            if (!problems.isEmpty()) {
              throw new InvalidBatch(problems);
            }
            return new Plan(target, false, message, null, null);
          }
        });
  }

  /** Checks the batch against the ledger without writing anything: the problems it would cause. */
  public List<Problem> check(String file, List<NewEntry> entries) {
    LedgerSnapshot ledger = current();
    return replaced(ledger, "check", appended(ledger, file, entries)).problems();
  }

  private static LedgerFile appended(LedgerSnapshot ledger, String file, List<NewEntry> entries) {
    return ledger.files().getOrDefault(file, LedgerFile.parse(file, "")).append(entries);
  }

  private LedgerSnapshot current() {
    LedgerSnapshot s = snapshot;
    if (s == null) {
      throw new LedgerUnreachable("the ledger has not been read yet", null);
    }
    return s;
  }

  /** Fetches the remote and brings in what others pushed. */
  public void sync() {
    leader.lock();
    try {
      withLedgerLock(
          () -> {
            refresh(true);
            return null;
          });
    } finally {
      leader.unlock();
    }
  }

  private static LedgerEntry existing(LedgerSnapshot ledger, Hostname host) {
    return ledger
        .entry(host)
        .orElseThrow(() -> new UnknownEntry("The ledger has no entry " + host));
  }

  private static void requireHolder(String holder) {
    if (holder == null || !holder.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new IllegalArgumentException(
          "holder must be a user name of 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
  }

  private static String message(String subject, String requestRef) {
    return requestRef == null
        ? subject + "\n"
        : subject + "\n\nBerth-Request: " + requestRef + "\n";
  }

  /**
   * Group commit: the thread that gets the lock leads and writes everything queued, batch after
   * batch, until the queue is empty; the others wait on their own result, so a change that went out
   * with someone else's push returns at once. The timed wait covers the moment between the leader's
   * last look at the queue and its unlock.
   */
  private Outcome submit(Op op) {
    queue.add(op);
    boolean interrupted = false;
    while (!op.result.isDone()) {
      if (leader.tryLock()) {
        try {
          for (List<Op> batch = drain(); !batch.isEmpty(); batch = drain()) {
            runBatch(batch);
          }
        } finally {
          leader.unlock();
        }
      } else {
        try {
          op.result.get(20, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // not done yet, or done with a failure that join() below reports
        } catch (InterruptedException e) {
          interrupted = true; // the change may already be pushed: wait for its outcome
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    try {
      return op.result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private List<Op> drain() {
    List<Op> batch = new ArrayList<>();
    for (Op next; (next = queue.poll()) != null; ) {
      batch.add(next);
    }
    return batch;
  }

  /**
   * Housekeeping of Berth's clone: packs loose objects once there are many (git's own {@code gc
   * --auto} rules). Runs between writes.
   */
  public void maintain() {
    leader.lock();
    try {
      git.collectGarbageIfNeeded();
    } finally {
      leader.unlock();
    }
  }

  private void runBatch(List<Op> batch) {
    try {
      withLedgerLock(
          () -> {
            write(batch);
            return null;
          });
    } catch (RuntimeException e) {
      batch.forEach(op -> op.result.completeExceptionally(e));
    }
  }

  private void write(List<Op> batch) throws SQLException {
    List<Op> pending = batch;
    boolean fetched = false;
    for (int attempt = 1; attempt <= maxAttempts && !pending.isEmpty(); attempt++) {
      if (snapshot == null || attempt > 1) {
        refresh(true);
        fetched = true;
      }
      if (broken != null) {
        LedgerInvalid invalid = new LedgerInvalid(broken.describe());
        pending.forEach(op -> op.result.completeExceptionally(invalid));
        return;
      }
      LedgerSnapshot base = current();
      LedgerSnapshot work = base;
      ObjectId parent = ObjectId.fromString(base.commit());
      LocalDate today = LocalDate.now(clock);
      Map<Op, Plan> planned = new LinkedHashMap<>();
      Map<Op, Refusal> refused = new LinkedHashMap<>();
      List<GitLedger.Change> changes = new ArrayList<>();
      for (Op op : pending) {
        Plan plan;
        try {
          plan = op.plan(work, today);
        } catch (Refusal e) {
          refused.put(op, e);
          continue;
        }
        java.time.Instant now = clock.instant();
        ObjectId commit =
            git.commit(
                parent,
                Map.of(plan.edited().path(), plan.edited().text()),
                new PersonIdent(op.author, now),
                new PersonIdent(committer, now),
                plan.message());
        work =
            plan.keepsHosts()
                ? work.withEditedFile(commit.name(), plan.edited())
                : replaced(work, commit.name(), plan.edited());
        parent = commit;
        planned.put(op, plan);
        Hostname touched = plan.host() != null ? plan.host() : plan.removed();
        changes.add(
            new GitLedger.Change(
                commit.name(),
                op.author.getName(),
                op.author.getEmailAddress(),
                now,
                plan.message().strip(),
                touched == null ? java.util.Set.of() : java.util.Set.of(touched.value())));
      }
      if (!refused.isEmpty() && !fetched) {
        // Refused against what may be an old view: look at the remote once before saying no.
        refresh(true);
        fetched = true;
        attempt--;
        continue;
      }
      refused.forEach((op, e) -> op.result.completeExceptionally(e));
      if (planned.isEmpty()) {
        return;
      }
      if (git.push(parent, ObjectId.fromString(base.commit())) == GitLedger.Push.REJECTED) {
        LOG.log(Level.FINE, "Ledger push rejected, attempt {0}", attempt);
        pushRejections.incrementAndGet();
        pending = new ArrayList<>(planned.keySet());
        continue;
      }
      snapshot = work;
      updateIndex(base, work, planned, changes);
      for (Map.Entry<Op, Plan> done : planned.entrySet()) {
        Hostname host = done.getValue().host();
        LedgerEntry after = host == null ? null : work.entry(host).orElse(null);
        done.getKey().result.complete(new Outcome(after, work.commit()));
      }
      return;
    }
    LedgerBusy busy =
        new LedgerBusy(
            "The ledger remote kept changing during "
                + maxAttempts
                + " attempts; nothing was claimed. Try again.");
    gaveUp.incrementAndGet();
    pending.forEach(op -> op.result.completeExceptionally(busy));
  }

  /** Pushes the remote rejected because someone else pushed first; each led to another try. */
  public long pushRejections() {
    return pushRejections.get();
  }

  /** Batches of changes given up because the remote kept changing for every attempt. */
  public long gaveUp() {
    return gaveUp.get();
  }

  private LedgerSnapshot replaced(LedgerSnapshot ledger, String commit, LedgerFile edited) {
    List<LedgerFile> files = new ArrayList<>(ledger.files().values());
    files.removeIf(f -> f.path().equals(edited.path()));
    files.add(edited);
    return LedgerSnapshot.of(commit, files, rules);
  }

  private void updateIndex(
      LedgerSnapshot base,
      LedgerSnapshot work,
      Map<Op, Plan> planned,
      List<GitLedger.Change> changes) {
    try {
      Connection c = connection();
      LedgerIndex.State state = index.state(c);
      if (!base.commit().equals(state.indexedCommit())) {
        rebuild(c, work, state);
        return;
      }
      List<LedgerEntry> changed = new ArrayList<>();
      List<Hostname> removed = new ArrayList<>();
      for (Plan plan : planned.values()) {
        if (plan.removed() != null) {
          removed.add(plan.removed());
        } else if (plan.host() != null) {
          work.entry(plan.host()).ifPresent(changed::add);
        } else {
          changed.addAll(plan.edited().entries());
        }
      }
      index.apply(c, changed, removed, changes, work.commit());
    } catch (SQLException | RuntimeException e) {
      // Git holds the change; the index catches up at the next sync.
      LOG.log(Level.WARNING, "The ledger index could not be updated: {0}", e.getMessage());
    }
  }

  /** Brings {@link #snapshot} and the index to the remote head (fetched first if asked). */
  private void refresh(boolean fetch) throws SQLException {
    Connection c = connection();
    ObjectId head;
    try {
      head = fetch ? git.fetch() : git.knownHead();
    } catch (LedgerRemoteUnavailable e) {
      index.markSynced(c, e.getMessage());
      throw e;
    }
    if (head == null) {
      broken =
          new Broken(
              null,
              List.of(
                  new Problem(
                      git.ledgerPath(),
                      0,
                      null,
                      "the branch " + git.branch() + " is missing on the remote")));
      index.markBroken(c, null, broken.problems());
      return;
    }
    LedgerIndex.State state = index.state(c);
    if (snapshot != null
        && broken == null
        && head.name().equals(snapshot.commit())
        && head.name().equals(state.indexedCommit())) {
      index.markSynced(c, null);
      return;
    }
    LedgerSnapshot candidate = LedgerSnapshot.of(head.name(), git.read(head), rules);
    if (candidate.isValid()) {
      candidate =
          candidate.withProblems(Holdings.problems(candidate, holdings.live(), git.ledgerPath()));
    }
    if (!candidate.isValid()) {
      if (broken == null || !head.name().equals(broken.commit())) {
        LOG.log(
            Level.WARNING,
            "Ledger commit {0} is invalid; keeping the last good state. {1}",
            new Object[] {head.name(), candidate.problems()});
      }
      broken = new Broken(head.name(), candidate.problems());
      index.markBroken(c, head.name(), candidate.problems());
      if (snapshot == null && state.indexedCommit() != null) {
        snapshot =
            LedgerSnapshot.of(
                state.indexedCommit(), git.read(ObjectId.fromString(state.indexedCommit())), rules);
      }
      return;
    }
    if (broken != null) {
      LOG.log(Level.INFO, "Ledger commit {0} is valid again; changes are accepted", head.name());
    }
    broken = null;
    if (!head.name().equals(state.indexedCommit())) {
      rebuild(c, candidate, state);
    } else {
      index.apply(c, List.of(), List.of(), List.of(), head.name());
    }
    snapshot = candidate;
  }

  private void rebuild(Connection c, LedgerSnapshot target, LedgerIndex.State state)
      throws SQLException {
    ObjectId from =
        state.indexedCommit() == null ? null : ObjectId.fromString(state.indexedCommit());
    List<GitLedger.Change> changes =
        git.changes(from, ObjectId.fromString(target.commit()), HISTORY_LIMIT);
    index.rebuild(c, target, changes);
    LOG.log(
        Level.INFO,
        "Ledger index rebuilt at {0}: {1} entries",
        new Object[] {target.commit().substring(0, 12), target.size()});
  }

  private interface Locked<T> {
    T run() throws SQLException;
  }

  private <T> T withLedgerLock(Locked<T> work) {
    try {
      Connection c = connection();
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
      }
      try {
        return work.run();
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
        }
      }
    } catch (SQLException e) {
      closeConnection();
      throw new LedgerRemoteUnavailable("the database is unavailable for the ledger", e);
    }
  }

  /** The connection that holds the ledger lock and writes the index; reopened when broken. */
  private Connection connection() throws SQLException {
    if (connection == null || !connection.isValid(2)) {
      closeConnection();
      connection = database.getConnection();
      connection.setAutoCommit(true);
      try (Statement s = connection.createStatement()) {
        s.execute("SET lock_timeout = '60s'");
      }
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.log(Level.FINE, "closing the ledger connection", e);
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    leader.lock();
    try {
      closeConnection();
      git.close();
    } finally {
      leader.unlock();
    }
  }
}
