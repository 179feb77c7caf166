package org.berth.ledger.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.berth.ledger.control.LedgerWriterIT.host;
import static org.berth.ledger.control.LedgerWriterIT.ledger;
import static org.berth.testing.GitCli.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.Test;

/**
 * Commits people push with the git command line that break the limits or the shape of the ledger,
 * or take away what a request holds: each is a problem naming the commit and the file, Berth keeps
 * the last good state and refuses changes, and a fixing commit ends it by itself.
 */
@Standalone
class HostileCommitsIT {

  @Test
  void aFileOverTheSizeLimitIsRefusedUnreadAndRevertingItRecovers() throws Exception {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(4))) {
      LedgerWriter berth = f.writer("a");
      f.pushByHand(
          "Add a quarter of a million entries",
          tree -> {
            StringBuilder more =
                new StringBuilder(Files.readString(tree.resolve("addresses.yaml")));
            for (int i = 0; i < 250_000; i++) {
              more.append("- Host: big")
                  .append(i)
                  .append(".example.com\n  IPv4: 10.")
                  .append(i >> 16)
                  .append('.')
                  .append((i >> 8) & 255)
                  .append('.')
                  .append(i & 255)
                  .append("\n  MAC: 52:54:01:00:00:00\n");
            }
            Files.writeString(tree.resolve("addresses.yaml"), more);
          });
      String big = f.head();

      berth.sync();

      assertThat(berth.broken())
          .hasValueSatisfying(
              b -> {
                assertThat(b.commit()).isEqualTo(big);
                assertThat(b.problems())
                    .extracting(Problem::toString)
                    .singleElement()
                    .asString()
                    .matches(
                        "addresses\\.yaml: the file is 1[6-9]\\.\\d MiB, over the limit of 16 MiB"
                            + " per ledger file");
              });
      assertThatThrownBy(() -> berth.claim(host(1), "bob", LedgerFixture.author("bob"), null))
          .isInstanceOf(LedgerInvalid.class)
          .hasMessageContaining(big.substring(0, 12));
      assertThat(berth.snapshot().orElseThrow().size()).isEqualTo(4);

      git(f.person, "revert", "--no-edit", "HEAD");
      git(f.person, "push", "-q", "origin", "main");
      berth.sync();

      assertThat(berth.broken()).isEmpty();
      assertThat(berth.claim(host(1), "bob", LedgerFixture.author("bob"), null).entry().user())
          .isEqualTo("bob");
    }
  }

  @Test
  void nestingTwoHundredThousandDeepIsAProblemAndTheNextCommitIsReadAsUsual() throws Exception {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(4))) {
      LedgerWriter berth = f.writer("a");
      String good = f.remoteFile("addresses.yaml");
      f.pushByHand(
          "Deep notes",
          tree ->
              Files.writeString(
                  tree.resolve("addresses.yaml"),
                  good + "- Note: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n"));

      berth.sync();

      assertThat(berth.broken().orElseThrow().problems())
          .extracting(Problem::toString)
          .containsExactly(
              "addresses.yaml:14: the line is 400,008 characters long, over the limit of 1,024");

      f.pushByHand(
          "Deep notes on many lines",
          tree ->
              Files.writeString(
                  tree.resolve("addresses.yaml"),
                  good + "- Note:\n" + "    [\n".repeat(200_000) + "    ]\n".repeat(200_000)));
      berth.sync();

      assertThat(berth.broken().orElseThrow().problems())
          .extracting(Problem::toString)
          .containsExactly(
              "addresses.yaml:29: nested more than 16 levels deep; an entry is a set of keys with"
                  + " one-line values");

      f.pushByHand("Notes gone", tree -> Files.writeString(tree.resolve("addresses.yaml"), good));
      berth.sync();

      assertThat(berth.broken()).isEmpty();
    }
  }

  @Test
  void aLedgerFileTurnedIntoAFolderIsAProblem() throws Exception {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(4))) {
      LedgerWriter berth = f.writer("a");
      String good = f.remoteFile("addresses.yaml");
      f.pushByHand(
          "Split the ledger",
          tree -> {
            Files.delete(tree.resolve("addresses.yaml"));
            Files.createDirectories(tree.resolve("addresses.yaml"));
            Files.writeString(tree.resolve("addresses.yaml/all.yaml"), good);
          });

      berth.sync();

      assertThat(berth.broken().orElseThrow().problems())
          .extracting(Problem::toString)
          .containsExactly(
              "addresses.yaml: addresses.yaml is a folder in this commit, but the ledger is the"
                  + " single file addresses.yaml (berth.ledger.path)");
      assertThat(berth.snapshot().orElseThrow().size()).isEqualTo(4);
    }
  }

  @Test
  void symbolicLinksSubmodulesAndTooManyFilesAreProblems() throws Exception {
    Map<String, String> files = new HashMap<>();
    files.put(
        "nets/a.yaml", "- Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n");
    try (LedgerFixture f = new LedgerFixture("nets", files)) {
      LedgerWriter berth = f.writer("a");

      f.pushByHand(
          "Link a file in",
          tree -> Files.createSymbolicLink(tree.resolve("nets/b.yaml"), Path.of("/etc/passwd")));
      berth.sync();
      assertThat(berth.broken().orElseThrow().problems())
          .extracting(Problem::toString)
          .containsExactly(
              "nets/b.yaml: a symbolic link, not a file; the ledger's files must be plain files");

      git(f.person, "rm", "-q", "nets/b.yaml");
      String someCommit = f.head();
      git(
          f.person,
          "update-index",
          "--add",
          "--cacheinfo",
          "160000," + someCommit + ",nets/c.yaml");
      git(f.person, "commit", "-q", "-m", "A submodule");
      git(f.person, "push", "-q", "origin", "main");
      berth.sync();
      assertThat(berth.broken().orElseThrow().problems())
          .extracting(Problem::toString)
          .containsExactly(
              "nets/c.yaml: a submodule, not a file; the ledger's files must be plain files");

      f.pushByHand(
          "One file per address",
          tree -> {
            git(tree, "rm", "-q", "--cached", "nets/c.yaml");
            for (int i = 0; i < LedgerLimits.MAX_FILES; i++) {
              Files.writeString(tree.resolve("nets/x" + i + ".yaml"), "");
            }
          });
      berth.sync();
      assertThat(berth.broken().orElseThrow().problems())
          .extracting(Problem::toString)
          .singleElement()
          .asString()
          .endsWith(": the ledger has more than 1,000 files with this one");
      assertThat(berth.snapshot().orElseThrow().size()).isEqualTo(1);
    }
  }

  @Test
  void aPushThatTakesAwayAHeldEntryIsAProblemNamingTheRequest() throws Exception {
    List<Holdings.Holding> held = new CopyOnWriteArrayList<>();
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(4))) {
      LedgerWriter berth = f.writer("a", () -> new ArrayList<>(held));
      LedgerEntry claimed =
          berth.claim(host(2), "alice", LedgerFixture.author("alice"), "request 7").entry();
      held.add(
          new Holdings.Holding(
              claimed.host().value(),
              claimed.mac(),
              claimed.ipv4(),
              claimed.ipv6(),
              "alice",
              "request 7"));
      String good = f.remoteFile("addresses.yaml");

      f.editByHand(
          "addresses.yaml",
          t -> t.replaceAll("(?s)- Host: pvm002.*?(?=- Host: pvm003)", ""),
          "pvm002 is not needed");
      berth.sync();

      assertThat(berth.broken().orElseThrow().problems())
          .extracting(Problem::toString)
          .containsExactly(
              "addresses.yaml (pvm002.example.com): the entry is gone from the ledger, but request"
                  + " 7 of alice holds it; put it back (deleting the guest in Berth gives it up)");

      f.editByHand(
          "addresses.yaml",
          t ->
              good.replace("52:54:00:BE:00:02", "52:54:00:BE:00:99")
                  .replace("192.0.2.2\n", "192.0.2.99\n"),
          "Renumber pvm002");
      berth.sync();

      assertThat(berth.broken().orElseThrow().problems())
          .extracting(Problem::toString)
          .containsExactly(
              "addresses.yaml:5 (pvm002.example.com): MAC changed from 52:54:00:be:00:02 to"
                  + " 52:54:00:be:00:99 while request 7 of alice holds the entry; change it back"
                  + " (deleting the guest in Berth gives it up)",
              "addresses.yaml:5 (pvm002.example.com): IPv4 changed from 192.0.2.2 to 192.0.2.99"
                  + " while request 7 of alice holds the entry; change it back (deleting the guest"
                  + " in Berth gives it up)");

      f.editByHand("addresses.yaml", t -> good, "Put pvm002 back");
      berth.sync();
      assertThat(berth.broken()).isEmpty();

      // Given up through Berth, the entry may go.
      berth.release(host(2), "alice", LedgerFixture.author("alice"), "request 7");
      held.clear();
      f.editByHand(
          "addresses.yaml",
          t -> t.replaceAll("(?s)- Host: pvm002.*?(?=- Host: pvm003)", ""),
          "pvm002 is not needed");
      berth.sync();
      assertThat(berth.broken()).isEmpty();
      assertThat(berth.snapshot().orElseThrow().size()).isEqualTo(3);
    }
  }
}
