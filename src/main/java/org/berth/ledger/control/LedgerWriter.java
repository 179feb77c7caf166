package org.berth.ledger.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>Its parts: the changes by name ({@link LedgerChange}), the grouping of concurrent changes into
 * batches ({@link GroupCommit}) and the lock across instances ({@link LedgerLock}); this class
 * writes a batch and keeps track of the remote head and the index.
 */
public final class LedgerWriter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LedgerWriter.class.getName());

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

  private final GitLedger git;
  private final LedgerLock lock;
  private final LedgerIndex index = new LedgerIndex();
  private final PersonIdent committer;
  private final Clock clock;
  private final int maxAttempts;
  private final GroupCommit<LedgerChange, Outcome> group = new GroupCommit<>(this::write);
  private final java.util.concurrent.atomic.AtomicLong pushRejections =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong gaveUp =
      new java.util.concurrent.atomic.AtomicLong();

  private final AddressRules rules;
  private final Holdings holdings;
  private volatile LedgerSnapshot snapshot;
  private volatile Broken broken;

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
    this.lock = new LedgerLock(database);
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
    return group.submit(new LedgerChange.Claim(host, holder, author, requestRef));
  }

  /**
   * Releases an entry. With {@code expectedHolder} the entry must be held by that person; without,
   * any holder (an admin's release).
   */
  public Outcome release(
      Hostname host, String expectedHolder, PersonIdent author, String requestRef) {
    return group.submit(new LedgerChange.Release(host, expectedHolder, author, requestRef));
  }

  /** Removes a free entry from the ledger. */
  public Outcome retire(Hostname host, PersonIdent author) {
    return group.submit(new LedgerChange.Retire(host, author));
  }

  /**
   * Adds entries to {@code file} (created if missing) in one commit. They are checked against the
   * whole ledger first: a clash refuses the whole batch with {@link InvalidBatch}.
   */
  public Outcome add(String file, List<NewEntry> entries, String message, PersonIdent author) {
    return group.submit(new LedgerChange.Add(file, entries, message, author));
  }

  /** Checks the batch against the ledger without writing anything: the problems it would cause. */
  public List<Problem> check(String file, List<NewEntry> entries) {
    LedgerSnapshot ledger = current();
    return LedgerChange.replaced(
            ledger, "check", LedgerChange.appended(ledger, file, entries), rules)
        .problems();
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
    group.alone(
        () ->
            lock.holding(
                c -> {
                  refresh(c, true);
                  return null;
                }));
  }

  /**
   * Housekeeping of Berth's clone: packs loose objects once there are many (git's own {@code gc
   * --auto} rules). Runs between writes.
   */
  public void maintain() {
    group.alone(
        () -> {
          git.collectGarbageIfNeeded();
          return null;
        });
  }

  /** Writes one batch of changes under the ledger lock; completes each change's result. */
  private void write(List<GroupCommit.Pending<LedgerChange, Outcome>> batch) {
    lock.holding(
        c -> {
          write(c, batch);
          return null;
        });
  }

  private void write(Connection c, List<GroupCommit.Pending<LedgerChange, Outcome>> batch)
      throws SQLException {
    List<GroupCommit.Pending<LedgerChange, Outcome>> pending = batch;
    boolean fetched = false;
    for (int attempt = 1; attempt <= maxAttempts && !pending.isEmpty(); attempt++) {
      if (snapshot == null || attempt > 1) {
        refresh(c, true);
        fetched = true;
      }
      if (broken != null) {
        LedgerInvalid invalid = new LedgerInvalid(broken.describe());
        pending.forEach(op -> op.result().completeExceptionally(invalid));
        return;
      }
      LedgerSnapshot base = current();
      LedgerSnapshot work = base;
      ObjectId parent = ObjectId.fromString(base.commit());
      LocalDate today = LocalDate.now(clock);
      Map<GroupCommit.Pending<LedgerChange, Outcome>, LedgerChange.Plan> planned =
          new LinkedHashMap<>();
      Map<GroupCommit.Pending<LedgerChange, Outcome>, Refusal> refused = new LinkedHashMap<>();
      List<GitLedger.Change> changes = new ArrayList<>();
      for (GroupCommit.Pending<LedgerChange, Outcome> op : pending) {
        PersonIdent author = op.work().author();
        LedgerChange.Plan plan;
        try {
          plan = op.work().plan(work, today, rules);
        } catch (Refusal e) {
          refused.put(op, e);
          continue;
        }
        java.time.Instant now = clock.instant();
        ObjectId commit =
            git.commit(
                parent,
                Map.of(plan.edited().path(), plan.edited().text()),
                new PersonIdent(author, now),
                new PersonIdent(committer, now),
                plan.message());
        work =
            plan.keepsHosts()
                ? work.withEditedFile(commit.name(), plan.edited())
                : LedgerChange.replaced(work, commit.name(), plan.edited(), rules);
        parent = commit;
        planned.put(op, plan);
        Hostname touched = plan.host() != null ? plan.host() : plan.removed();
        changes.add(
            new GitLedger.Change(
                commit.name(),
                author.getName(),
                author.getEmailAddress(),
                now,
                plan.message().strip(),
                touched == null ? java.util.Set.of() : java.util.Set.of(touched.value())));
      }
      if (!refused.isEmpty() && !fetched) {
        // Refused against what may be an old view: look at the remote once before saying no.
        refresh(c, true);
        fetched = true;
        attempt--;
        continue;
      }
      refused.forEach((op, e) -> op.result().completeExceptionally(e));
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
      updateIndex(c, base, work, planned.values(), changes);
      for (var done : planned.entrySet()) {
        Hostname host = done.getValue().host();
        LedgerEntry after = host == null ? null : work.entry(host).orElse(null);
        done.getKey().result().complete(new Outcome(after, work.commit()));
      }
      return;
    }
    LedgerBusy busy =
        new LedgerBusy(
            "The ledger remote kept changing during "
                + maxAttempts
                + " attempts; nothing was claimed. Try again.");
    gaveUp.incrementAndGet();
    pending.forEach(op -> op.result().completeExceptionally(busy));
  }

  /** Pushes the remote rejected because someone else pushed first; each led to another try. */
  public long pushRejections() {
    return pushRejections.get();
  }

  /** Batches of changes given up because the remote kept changing for every attempt. */
  public long gaveUp() {
    return gaveUp.get();
  }

  private void updateIndex(
      Connection c,
      LedgerSnapshot base,
      LedgerSnapshot work,
      java.util.Collection<LedgerChange.Plan> planned,
      List<GitLedger.Change> changes) {
    try {
      LedgerIndex.State state = index.state(c);
      if (!base.commit().equals(state.indexedCommit())) {
        rebuild(c, work, state);
        return;
      }
      List<LedgerEntry> changed = new ArrayList<>();
      List<Hostname> removed = new ArrayList<>();
      for (LedgerChange.Plan plan : planned) {
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
  private void refresh(Connection c, boolean fetch) throws SQLException {
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

  @Override
  public void close() {
    group.alone(
        () -> {
          lock.close();
          git.close();
          return null;
        });
  }
}
