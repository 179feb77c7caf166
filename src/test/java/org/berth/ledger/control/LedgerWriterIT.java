package org.berth.ledger.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.berth.testing.GitCli.git;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Claims and releases against a real Git remote, the git command line and PostgreSQL. */
@Standalone
class LedgerWriterIT {

  static String ledger(int n) {
    StringBuilder s = new StringBuilder("# test ledger\n");
    for (int i = 1; i <= n; i++) {
      s.append(
          "- Host: pvm%03d.example.com\n  IPv4: 192.0.2.%d\n  MAC:  52:54:00:BE:00:%02X\n"
              .formatted(i, i, i));
    }
    return s.toString();
  }

  static Hostname host(int i) {
    return Hostname.of("pvm%03d.example.com".formatted(i));
  }

  @Test
  void claimIsOneCommitByTheUserTouchingOnlyThatEntry() throws Exception {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(4))) {
      LedgerWriter berth = f.writer("a");

      LedgerWriter.Outcome outcome =
          berth.claim(host(2), "alice", LedgerFixture.author("alice"), "42");

      assertThat(outcome.entry().user()).isEqualTo("alice");
      String diff = git(f.remote, "diff", "main~1", "main", "--unified=0");
      assertThat(diff.lines().filter(l -> l.startsWith("+") || l.startsWith("-")))
          .containsExactly(
              "--- a/addresses.yaml",
              "+++ b/addresses.yaml",
              "+  User: alice",
              "+  Date: 2026-11-21");
      assertThat(diff).contains("@@ -7,0 +8,2 @@");
      assertThat(git(f.remote, "log", "-1", "--format=%an <%ae>|%cn|%B", "main"))
          .startsWith("alice <alice@example.com>|Berth|Claim pvm002.example.com for alice")
          .contains("Berth-Request: 42");
      assertThat(holder(f, "pvm002.example.com")).isEqualTo("alice");

      berth.release(host(2), "alice", LedgerFixture.author("alice"), "42");

      assertThat(f.remoteFile("addresses.yaml")).isEqualTo(ledger(4));
      assertThat(holder(f, "pvm002.example.com")).isNull();
    }
  }

  @Test
  void refusesToClaimATakenEntryAndToReleaseSomeoneElses() {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(2))) {
      LedgerWriter berth = f.writer("a");
      berth.claim(host(1), "alice", LedgerFixture.author("alice"), null);

      assertThatThrownBy(() -> berth.claim(host(1), "bob", LedgerFixture.author("bob"), null))
          .isInstanceOf(AddressTaken.class)
          .hasMessage("pvm001.example.com is taken by alice since 2026-11-21");
      assertThatThrownBy(() -> berth.release(host(1), "bob", LedgerFixture.author("bob"), null))
          .isInstanceOf(NotHolder.class)
          .hasMessage("pvm001.example.com is held by alice, not by bob");
      assertThatThrownBy(
              () ->
                  berth.claim(
                      Hostname.of("nope.example.com"), "bob", LedgerFixture.author("bob"), null))
          .isInstanceOf(UnknownEntry.class);
      assertThat(f.remoteLog()).hasSize(2);
    }
  }

  @Test
  void thirtyTwoThreadsClaimingEightEntriesGetExactlyOneEach() throws Exception {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(8))) {
      LedgerWriter berth = f.writer("a");
      ExecutorService pool = Executors.newFixedThreadPool(32);
      CountDownLatch start = new CountDownLatch(1);
      Map<Integer, List<String>> winners = new ConcurrentHashMap<>();
      AtomicInteger taken = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        String user = "user" + t;
        int entry = t % 8 + 1;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    berth.claim(host(entry), user, LedgerFixture.author(user), null);
                    winners
                        .computeIfAbsent(
                            entry, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(user);
                  } catch (AddressTaken e) {
                    taken.incrementAndGet();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(winners).hasSize(8);
      assertThat(winners.values()).allSatisfy(w -> assertThat(w).hasSize(1));
      assertThat(taken).hasValue(24);
      Map<String, String> holders = holdersInFile(f.remoteFile("addresses.yaml"));
      for (var w : winners.entrySet()) {
        assertThat(holders).containsEntry(host(w.getKey()).value(), w.getValue().get(0));
      }
      assertThat(f.remoteLog()).hasSize(1 + 8);
    }
  }

  @Test
  void twoBerthInstancesRacingNeverAllocateTwiceNorLoseACommit() throws Exception {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(10))) {
      LedgerWriter one = f.writer("one");
      LedgerWriter two = f.writer("two");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      AtomicInteger won = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 40; t++) {
        LedgerWriter berth = t % 2 == 0 ? one : two;
        String user = "u" + t;
        int entry = t % 10 + 1;
        futures.add(
            pool.submit(
                () -> {
                  try {
                    berth.claim(host(entry), user, LedgerFixture.author(user), null);
                    won.incrementAndGet();
                  } catch (AddressTaken e) {
                    // someone else was first: expected for all but one per entry
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(won).hasValue(10);
      assertThat(holdersInFile(f.remoteFile("addresses.yaml"))).hasSize(10);
      assertThat(f.remoteLog()).hasSize(1 + 10);
      assertThat(countRows(f, "SELECT count(*) FROM ledger_entry WHERE holder IS NOT NULL"))
          .isEqualTo(10);
    }
  }

  @Test
  void handEditsWithTheGitCommandLineRacingWithClaimsAllLand() throws Exception {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(20))) {
      LedgerWriter berth = f.writer("a");
      Thread person =
          new Thread(
              () -> {
                for (int i = 11; i <= 20; i++) {
                  String hostLine = "- Host: " + host(i).value() + "\n";
                  int n = i;
                  f.editByHand(
                      "addresses.yaml",
                      text -> {
                        int at = text.indexOf(hostLine);
                        int end = text.indexOf("\n- Host:", at + 1);
                        end = end < 0 ? text.length() : end + 1;
                        return text.substring(0, end)
                            + "  User: lars\n  Date: 2026-11-20\n"
                            + text.substring(end);
                      },
                      "Take " + host(n) + " by hand");
                }
              });
      person.start();
      for (int i = 1; i <= 10; i++) {
        berth.claim(host(i), "alice", LedgerFixture.author("alice"), null);
      }
      person.join(120_000);

      Map<String, String> holders = holdersInFile(f.remoteFile("addresses.yaml"));
      for (int i = 1; i <= 10; i++) {
        assertThat(holders).containsEntry(host(i).value(), "alice");
      }
      for (int i = 11; i <= 20; i++) {
        assertThat(holders).containsEntry(host(i).value(), "lars");
      }
      List<String> log = f.remoteLog();
      assertThat(log.stream().filter(l -> l.startsWith("alice|Claim"))).hasSize(10);
      assertThat(log.stream().filter(l -> l.startsWith("Lars Hand|Take"))).hasSize(10);

      berth.sync();
      assertThat(holder(f, host(15).value())).isEqualTo("lars");
      assertThatThrownBy(() -> berth.claim(host(15), "bob", LedgerFixture.author("bob"), null))
          .isInstanceOf(AddressTaken.class)
          .hasMessageContaining("taken by lars");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed YAML|  MAC:  52:54:00:BE:00:03|  MAC:  [52:54:00:BE:00:03|10|not valid YAML",
        "duplicate MAC|  MAC:  52:54:00:BE:00:03|  MAC:  52:54:00:BE:00:01|8|duplicate MAC 52:54:00:be:00:01, already used by pvm001.example.com at addresses.yaml:2",
        "duplicate IP|  IPv4: 192.0.2.3|  IPv4: 192.0.2.2|8|duplicate IPv4 192.0.2.2, already used by pvm002.example.com at addresses.yaml:5",
        "bad MAC|  MAC:  52:54:00:BE:00:03|  MAC:  52:54:00:BE:00|10|MAC: '52:54:00:BE:00' is not a MAC address",
        "missing Host|- Host: pvm003.example.com|- Note: no host here|8|Host is required",
      })
  void keepsTheLastGoodStateThroughABrokenCommitAndRecoversWhenItIsFixed(
      String kind, String good, String bad, int line, String problem) throws Exception {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(4))) {
      LedgerWriter berth = f.writer("a");
      berth.claim(host(4), "alice", LedgerFixture.author("alice"), null);
      String lastGood = f.remoteFile("addresses.yaml");
      f.editByHand(
          "addresses.yaml",
          t -> t.replaceFirst(java.util.regex.Pattern.quote(good) + "\\n", bad + "\n"),
          "Break it: " + kind);
      String brokenCommit = git(f.remote, "rev-parse", "main").strip();

      berth.sync();

      assertThat(berth.broken())
          .hasValueSatisfying(
              b -> {
                assertThat(b.commit()).isEqualTo(brokenCommit);
                assertThat(b.problems())
                    .anySatisfy(
                        p -> {
                          assertThat(p.file()).isEqualTo("addresses.yaml");
                          assertThat(p.line()).isEqualTo(line);
                          assertThat(p.message()).contains(problem);
                        });
              });
      assertThatThrownBy(() -> berth.claim(host(1), "bob", LedgerFixture.author("bob"), null))
          .isInstanceOf(LedgerInvalid.class)
          .hasMessageContaining(brokenCommit.substring(0, 12))
          .hasMessageContaining("addresses.yaml:" + line);
      assertThat(holder(f, "pvm004.example.com")).isEqualTo("alice");
      assertThat(countRows(f, "SELECT count(*) FROM ledger_entry")).isEqualTo(4);
      assertThat(stateColumn(f, "broken_commit")).isEqualTo(brokenCommit);

      f.editByHand("addresses.yaml", t -> lastGood, "Fix it");
      berth.sync();

      assertThat(berth.broken()).isEmpty();
      assertThat(berth.claim(host(1), "bob", LedgerFixture.author("bob"), null).entry().user())
          .isEqualTo("bob");
      assertThat(stateColumn(f, "broken_commit")).isNull();
      assertThat(f.remoteLog().get(1)).isEqualTo("Lars Hand|Fix it");
    }
  }

  @Test
  void aLedgerOfOneFilePerSubnetIsOneLedger() {
    Map<String, String> files = new HashMap<>();
    files.put(
        "nets/192.0.2.yaml",
        "- Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n");
    files.put(
        "nets/198.51.100.yaml",
        "- Host: b.example.com\n  IPv4: 198.51.100.1\n  MAC: 52:54:00:00:00:02\n");
    files.put("README.md", "not part of the ledger\n");
    try (LedgerFixture f = new LedgerFixture("nets", files)) {
      LedgerWriter berth = f.writer("a");

      berth.claim(Hostname.of("b.example.com"), "alice", LedgerFixture.author("alice"), null);

      assertThat(berth.snapshot().orElseThrow().size()).isEqualTo(2);
      assertThat(f.remoteFile("nets/198.51.100.yaml")).contains("User: alice");
      assertThat(f.remoteFile("nets/192.0.2.yaml")).doesNotContain("User");
      assertThat(git(f.remote, "diff", "--stat", "main~1", "main"))
          .contains("nets/198.51.100.yaml")
          .doesNotContain("192.0.2.yaml");
    }
  }

  @Test
  void addsABatchInOneCommitAndRetiresAnEntry() {
    try (LedgerFixture f = LedgerFixture.oneFile(ledger(2))) {
      LedgerWriter berth = f.writer("a");
      List<LedgerFile.NewEntry> batch =
          List.of(
              new LedgerFile.NewEntry(
                  host(3),
                  Ipv4Address.parse("192.0.2.3"),
                  Ipv6Address.parse("2001:db8::3"),
                  MacAddress.of("52:54:00:be:00:03")),
              new LedgerFile.NewEntry(
                  host(4),
                  Ipv4Address.parse("192.0.2.4"),
                  null,
                  MacAddress.of("52:54:00:be:00:04")));

      berth.add("addresses.yaml", batch, "Add 2 entries", LedgerFixture.author("admin"));
      berth.retire(host(1), LedgerFixture.author("admin"));

      String file = f.remoteFile("addresses.yaml");
      assertThat(file)
          .doesNotContain("pvm001")
          .endsWith("- Host: pvm004.example.com\n  IPv4: 192.0.2.4\n  MAC:  52:54:00:BE:00:04\n");
      assertThat(f.remoteLog()).hasSize(3);
      assertThatThrownBy(
              () ->
                  berth.add(
                      "addresses.yaml",
                      List.of(
                          new LedgerFile.NewEntry(
                              host(9),
                              Ipv4Address.parse("192.0.2.2"),
                              null,
                              MacAddress.of("52:54:00:be:00:09"))),
                      "Clash",
                      LedgerFixture.author("admin")))
          .isInstanceOf(InvalidBatch.class)
          .hasMessageContaining("duplicate IPv4 192.0.2.2");
      assertThat(f.remoteLog()).hasSize(3);
    }
  }

  static Map<String, String> holdersInFile(String text) {
    Map<String, String> holders = new HashMap<>();
    Matcher m =
        Pattern.compile("- Host: (\\S+)\\n(?:  (?!User)\\w+:.*\\n)*  User: (\\S+)").matcher(text);
    while (m.find()) {
      holders.put(m.group(1), m.group(2));
    }
    return holders;
  }

  static String holder(LedgerFixture f, String host) throws Exception {
    try (Connection c = f.database.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT holder FROM ledger_entry WHERE host = '" + host + "'")) {
      assertThat(rs.next()).as("index row for " + host).isTrue();
      return rs.getString(1);
    }
  }

  static long countRows(LedgerFixture f, String sql) throws Exception {
    try (Connection c = f.database.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String stateColumn(LedgerFixture f, String column) throws Exception {
    try (Connection c = f.database.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + column + " FROM ledger_state")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
