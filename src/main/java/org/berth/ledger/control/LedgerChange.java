package org.berth.ledger.control;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.berth.ledger.control.LedgerFile.NewEntry;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * One change Berth makes to the ledger, by name: each is worked out against the ledger as it is
 * when its turn comes in a batch, so that a change checked against an old view is checked again
 * after a fetch. A change that may not be made throws its refusal from {@link #plan}.
 */
sealed interface LedgerChange {

  /** Who asked for the change: the commit's author. */
  PersonIdent author();

  /** What the change does to {@code ledger} on {@code today}. */
  Plan plan(LedgerSnapshot ledger, LocalDate today, AddressRules rules);

  /**
   * The edited file, and what the change touched.
   *
   * @param keepsHosts whether the file's hosts stay the same (only values changed)
   * @param host the entry the change leaves behind, if one
   * @param removed the entry the change takes away, if one
   */
  record Plan(
      LedgerFile edited, boolean keepsHosts, String message, Hostname host, Hostname removed) {}

  /** Claims a free entry for {@code holder}. */
  record Claim(Hostname host, String holder, PersonIdent author, String requestRef)
      implements LedgerChange {

    public Claim {
      if (holder == null || !holder.matches("[A-Za-z0-9._@-]{1,64}")) {
        throw new IllegalArgumentException(
            "holder must be a user name of 1 to 64 letters, digits, '.', '_', '@' or '-'");
      }
    }

    @Override
    public Plan plan(LedgerSnapshot ledger, LocalDate today, AddressRules rules) {
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
  }

  /**
   * Releases a held entry. With {@code expectedHolder} it must be held by that person; without, by
   * anyone (an admin's release).
   */
  record Release(Hostname host, String expectedHolder, PersonIdent author, String requestRef)
      implements LedgerChange {

    @Override
    public Plan plan(LedgerSnapshot ledger, LocalDate today, AddressRules rules) {
      LedgerEntry entry = existing(ledger, host);
      if (entry.isFree()) {
        throw new NotHolder(host + " is not claimed");
      }
      if (expectedHolder != null && !entry.user().equals(expectedHolder)) {
        throw new NotHolder(host + " is held by " + entry.user() + ", not by " + expectedHolder);
      }
      LedgerFile file = ledger.fileOf(host).orElseThrow();
      return new Plan(
          file.release(host),
          true,
          message("Release " + host + " from " + entry.user(), requestRef),
          host,
          null);
    }
  }

  /** Removes a free entry from the ledger. */
  record Retire(Hostname host, PersonIdent author) implements LedgerChange {

    @Override
    public Plan plan(LedgerSnapshot ledger, LocalDate today, AddressRules rules) {
      LedgerEntry entry = existing(ledger, host);
      if (!entry.isFree()) {
        throw new AddressTaken(
            host + " is taken by " + entry.user() + "; it must be released before retiring");
      }
      LedgerFile file = ledger.fileOf(host).orElseThrow();
      return new Plan(file.retire(host), false, "Retire " + host, null, host);
    }
  }

  /**
   * Adds entries to {@code file} (created if missing), checked against the whole ledger first: a
   * clash refuses the whole batch with {@link InvalidBatch}.
   */
  record Add(String file, List<NewEntry> entries, String message, PersonIdent author)
      implements LedgerChange {

    @Override
    public Plan plan(LedgerSnapshot ledger, LocalDate today, AddressRules rules) {
      LedgerFile target = appended(ledger, file, entries);
      List<Problem> problems = replaced(ledger, "check", target, rules).problems();
      if (!problems.isEmpty()) {
        throw new InvalidBatch(problems);
      }
      return new Plan(target, false, message, null, null);
    }
  }

  /** {@code file} of {@code ledger} (or a new one) with {@code entries} appended. */
  static LedgerFile appended(LedgerSnapshot ledger, String file, List<NewEntry> entries) {
    return ledger.files().getOrDefault(file, LedgerFile.parse(file, "")).append(entries);
  }

  /** {@code ledger} with {@code edited} in place of the file of its path, read afresh. */
  static LedgerSnapshot replaced(
      LedgerSnapshot ledger, String commit, LedgerFile edited, AddressRules rules) {
    List<LedgerFile> files = new ArrayList<>(ledger.files().values());
    files.removeIf(f -> f.path().equals(edited.path()));
    files.add(edited);
    return LedgerSnapshot.of(commit, files, rules);
  }

  private static LedgerEntry existing(LedgerSnapshot ledger, Hostname host) {
    return ledger
        .entry(host)
        .orElseThrow(() -> new UnknownEntry("The ledger has no entry " + host));
  }

  private static String message(String subject, String requestRef) {
    return requestRef == null
        ? subject + "\n"
        : subject + "\n\nBerth-Request: " + requestRef + "\n";
  }
}
