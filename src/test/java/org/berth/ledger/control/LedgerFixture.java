package org.berth.ledger.control;

import static org.berth.testing.GitCli.git;
import static org.berth.testing.GitCli.tryGit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.berth.testing.TestDatabase;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A ledger remote (a bare repository made with the git command line), a person's clone of it, one
 * database, and as many Berth writers with their own clones as a test wants.
 */
final class LedgerFixture implements AutoCloseable {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T09:00:00Z"), ZoneOffset.UTC);

  final Path root;
  final Path remote;
  final Path person;
  final DataSource database = TestDatabase.fresh();
  private final List<LedgerWriter> writers = new ArrayList<>();
  private final String ledgerPath;

  /** A remote whose first commit holds {@code files} (path to text). */
  LedgerFixture(String ledgerPath, java.util.Map<String, String> files) {
    this.ledgerPath = ledgerPath;
    try {
      root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ledger");
      remote = root.resolve("remote.git");
      person = root.resolve("person");
      git(root, "init", "--bare", "-b", "main", remote.toString());
      git(root, "clone", remote.toString(), person.toString());
      for (var f : files.entrySet()) {
        Path file = person.resolve(f.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, f.getValue());
      }
      git(person, "add", "-A");
      git(person, "commit", "-m", "Seed the ledger");
      git(person, "push", "origin", "main");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LedgerFixture oneFile(String text) {
    return new LedgerFixture("addresses.yaml", java.util.Map.of("addresses.yaml", text));
  }

  LedgerWriter writer(String name) {
    return writer(name, Holdings.NONE);
  }

  /** A writer whose ledger must keep the entries {@code holdings} names. */
  LedgerWriter writer(String name, Holdings holdings) {
    LedgerWriter w =
        new LedgerWriter(
            GitLedger.open(
                root.resolve("clone-" + name),
                remote.toUri().toString(),
                "main",
                ledgerPath,
                GitLedger.Access.NONE,
                30),
            database,
            new PersonIdent("Berth", "berth@example.com"),
            CLOCK,
            20,
            AddressRules.SPECIAL_RANGES_ONLY,
            holdings);
    w.sync();
    writers.add(w);
    return w;
  }

  static PersonIdent author(String user) {
    return new PersonIdent(user, user + "@example.com");
  }

  /** A person's edit by hand: pull, change the file, commit, push; retried until the push lands. */
  void editByHand(String file, UnaryOperator<String> edit, String message) {
    for (int attempt = 0; attempt < 50; attempt++) {
      git(person, "pull", "--rebase", "-q");
      try {
        Path path = person.resolve(file);
        Files.writeString(path, edit.apply(Files.readString(path)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      git(person, "commit", "-q", "-am", message);
      if (tryGit(person, "push", "-q", "origin", "main").exit() == 0) {
        return;
      }
      git(person, "reset", "-q", "--hard", "origin/main");
    }
    throw new AssertionError("could not push a hand edit in 50 attempts");
  }

  /** Commits what {@code change} does to the person's clone, and pushes it. */
  void pushByHand(String message, GitChange change) {
    git(person, "pull", "-q", "--rebase");
    try {
      change.apply(person);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(person, "add", "-A");
    git(person, "commit", "-q", "-m", message);
    git(person, "push", "-q", "origin", "main");
  }

  /** An edit of a person's working tree. */
  interface GitChange {
    void apply(Path workTree) throws IOException;
  }

  String head() {
    return git(remote, "rev-parse", "main").strip();
  }

  String remoteFile(String file) {
    return git(remote, "show", "main:" + file);
  }

  List<String> remoteLog() {
    return git(remote, "log", "--format=%an|%s", "main").lines().toList();
  }

  @Override
  public void close() {
    writers.forEach(LedgerWriter::close);
  }
}
