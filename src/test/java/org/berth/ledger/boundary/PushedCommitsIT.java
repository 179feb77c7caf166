package org.berth.ledger.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.berth.testing.GitCli.git;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.berth.testing.Await;
import org.berth.testing.Http;
import org.berth.testing.ItDatabase;
import org.berth.testing.PayaraProcess;
import org.berth.testing.Standalone;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * What people push to the ledger's remote with the git command line, and what happens when the
 * remote is away, as a running Berth (the demo, 512 MB heap) shows it to a user and an admin. No
 * webhook: every commit comes in through the periodic fetch alone (every 5 s), and however bad a
 * commit is, the fetch goes on and the next good commit ends the trouble by itself.
 */
@Standalone
@Order(3)
class PushedCommitsIT {

  static Path data;
  static PayaraProcess berth;
  static Http http;
  static Path person;
  static String seed;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pushed-commits");
    berth =
        PayaraProcess.start(
            "pushed-commits",
            List.of("berth.data-dir=" + data, "berth.ledger.fetch-interval-seconds=5"));
    http = new Http(berth.base());
    http.awaitLedger(true);
    person = data.resolve("person");
    git(data, "clone", "-q", data.resolve("ledger.git").toString(), person.toString());
    seed = Files.readString(person.resolve("addresses.yaml"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (berth != null) {
      berth.close();
    }
  }

  /** Whatever a test pushed, the ledger is good again before the next; and nothing broke Berth. */
  @AfterEach
  void ledgerIsGoodAgain() throws Exception {
    git(person, "pull", "-q", "--rebase");
    Path file = person.resolve("addresses.yaml");
    if (!Files.isRegularFile(file) || isBroken(status())) {
      push(
          "Back to the seed",
          () -> {
            if (Files.isDirectory(file)) {
              git(person, "rm", "-q", "-r", "addresses.yaml");
            }
            write(seed);
          });
    }
    awaitStatus("the ledger valid again", s -> !isBroken(s));
    assertThat(berth.log()).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError");
  }

  @Test
  void aHandClaimPushedWithGitShowsUpAtTheNextFetch() throws Exception {
    String entry = "  MAC:  52:54:00:BE:00:1D\n";
    assertThat(seed).contains(entry);

    push(
        "frank takes pvm030",
        () -> write(read().replace(entry, entry + "  User: frank\n  Date: 2026-11-21\n")));

    JsonObject taken = awaitEntry("pvm030.example.com", e -> "taken".equals(e.getString("state")));
    assertThat(taken.getString("holder")).isEqualTo("frank");
    assertThat(taken.getJsonArray("history").getJsonObject(0).getString("message"))
        .isEqualTo("frank takes pvm030");
  }

  @Test
  void aLedgerOfFortyEightMegabytesIsRefusedUnreadAndTheNextGoodCommitEndsIt() throws Exception {
    // 645,497 more entries, as an attacker with push access tried: three times the file limit.
    String big =
        push(
            "Append 645,497 entries",
            () -> {
              StringBuilder text = new StringBuilder(read());
              for (int i = 0; i < 645_497; i++) {
                text.append("- Host: x")
                    .append(i)
                    .append(".example.com\n  IPv4: 10.9.")
                    .append((i >> 8) & 255)
                    .append('.')
                    .append(i & 255)
                    .append("\n  MAC:  52:54:00:AA:00:00\n");
              }
              write(text.toString());
            });
    assertThat(Files.size(person.resolve("addresses.yaml"))).isGreaterThan(40_000_000);

    JsonObject broken =
        awaitStatus("the big commit refused", s -> big.equals(s.getString("brokenCommit", "")));

    assertThat(broken.getJsonArray("problems").getString(0))
        .matches(
            "addresses\\.yaml: the file is 4\\d\\.\\d MiB, over the limit of 16 MiB per ledger file");
    assertThat(broken.getInt("entries")).isEqualTo(64);
    HttpResponse<String> claim = submit("pvm033.example.com", "big-push");
    assertThat(claim.statusCode()).as(claim.body()).isEqualTo(409);
    assertThat(Http.json(claim).getString("error")).isEqualTo("ledger_invalid");
    assertThat(Http.json(claim).getString("message")).contains(big.substring(0, 12));
    assertThat(requestsNamed("big-push")).isZero();
    JsonObject ready = Http.json(http.get("health/ready", "admin", "admin"));
    assertThat(ready.getString("status")).isEqualTo("UP");

    // Worse on top: nesting two hundred thousand deep. The fetch goes on and reports it.
    String deep =
        push(
            "Deep notes",
            () ->
                write(seed + "- Note:\n" + "    [\n".repeat(200_000) + "    ]\n".repeat(200_000)));
    JsonObject nested =
        awaitStatus("the deep commit refused", s -> deep.equals(s.getString("brokenCommit", "")));
    assertThat(nested.getJsonArray("problems").getString(0))
        .isEqualTo(
            "addresses.yaml:"
                + (seed.lines().count() + 1 + 15)
                + ": nested more than 16 levels deep; an entry is a set of keys with one-line"
                + " values");

    String fixed = push("Back to the seed", () -> write(seed));
    JsonObject good = awaitStatus("the fix accepted", s -> !isBroken(s));

    assertThat(good.getString("headCommit")).isEqualTo(fixed);
    assertThat(good.getString("indexedCommit")).isEqualTo(fixed);
    assertThat(good.getJsonArray("problems")).isEmpty();
    HttpResponse<String> after = submit("pvm033.example.com", "big-push");
    assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
    cancel(after);
  }

  @Test
  void aPushThatTakesAwayAnEntryARequestHoldsIsAProblemNamingTheRequest() throws Exception {
    HttpResponse<String> created = submit("pvm032.example.com", "held-entry");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = Http.json(created).getJsonNumber("id").longValue();

    String gone =
        push(
            "pvm032 is not needed",
            () -> write(read().replaceAll("(?s)- Host: pvm032.*?(?=- Host: pvm033)", "")));

    JsonObject status =
        awaitStatus("the removal refused", s -> gone.equals(s.getString("brokenCommit", "")));
    assertThat(status.getJsonArray("problems").getString(0))
        .isEqualTo(
            "addresses.yaml (pvm032.example.com): the entry is gone from the ledger, but request "
                + id
                + " of alice holds it; put it back (deleting the guest in Berth gives it up)");
    assertThat(
            Http.json(http.get("api/ledger/entries/pvm032.example.com", "alice", "alice"))
                .getString("holder"))
        .isEqualTo("alice");

    git(person, "revert", "--no-edit", "HEAD");
    git(person, "push", "-q", "origin", "HEAD:main");
    awaitStatus("the entry back", s -> !isBroken(s));

    cancel(created);
    awaitEntry("pvm032.example.com", e -> "free".equals(e.getString("state")));
  }

  @Test
  void theLedgerFileTurnedIntoAFolderIsAProblem() throws Exception {
    String folder =
        push(
            "One file per subnet",
            () -> {
              Files.delete(person.resolve("addresses.yaml"));
              Files.createDirectories(person.resolve("addresses.yaml"));
              Files.writeString(person.resolve("addresses.yaml/192.0.2.yaml"), seed);
            });

    JsonObject status =
        awaitStatus("the folder refused", s -> folder.equals(s.getString("brokenCommit", "")));
    assertThat(status.getJsonArray("problems").getString(0))
        .isEqualTo(
            "addresses.yaml: addresses.yaml is a folder in this commit, but the ledger is the"
                + " single file addresses.yaml (berth.ledger.path)");
  }

  @Test
  void aClaimFailsFastAndLeavesNothingWhileTheRemoteIsAway() throws Exception {
    String host = "pvm031.example.com";
    long before = total();
    Path remote = data.resolve("ledger.git");
    Path away = data.resolve("ledger.git.away");
    String head = Files.readString(remote.resolve("refs/heads/main")).strip();

    Files.move(remote, away);
    HttpResponse<String> refused;
    Duration took;
    try {
      Instant start = Instant.now();
      refused = submit(host, "unreachable");
      took = Duration.between(start, Instant.now());
    } finally {
      Files.move(away, remote);
    }

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    JsonObject error = Http.json(refused);
    assertThat(error.getString("error")).isEqualTo("ledger_unavailable");
    assertThat(error.getString("message"))
        .startsWith("The address ledger's Git remote cannot be reached; nothing was claimed");
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    assertThat(total()).isEqualTo(before);
    JsonObject entry = Http.json(http.get("api/ledger/entries/" + host, "alice", "alice"));
    assertThat(entry.getString("state")).isEqualTo("free");
    try (Connection c = ItDatabase.connect(data)) {
      assertThat(count(c, "SELECT count(*) FROM guest_request WHERE name = 'unreachable'"))
          .isZero();
      assertThat(count(c, "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'claim-check'"))
          .isZero();
      assertThat(count(c, "SELECT count(*) FROM mail_outbox WHERE body LIKE '%unreachable%'"))
          .isZero();
    }

    assertThat(Files.readString(remote.resolve("refs/heads/main")).strip()).isEqualTo(head);
    HttpResponse<String> created = submit(host, "unreachable");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(Http.json(created).getJsonObject("address").getString("claimCommit")).isNotBlank();
    assertThat(total()).isEqualTo(before + 1);
    cancel(created);
  }

  private interface Change {
    void apply() throws Exception;
  }

  /** A person's commit of {@code change}, pushed; returns the new head. */
  private static String push(String message, Change change) throws Exception {
    git(person, "pull", "-q", "--rebase");
    change.apply();
    git(person, "add", "-A");
    git(person, "commit", "-q", "-m", message);
    git(person, "push", "-q", "origin", "HEAD:main");
    return git(person, "rev-parse", "HEAD").strip();
  }

  private static String read() throws Exception {
    return Files.readString(person.resolve("addresses.yaml"));
  }

  private static void write(String text) throws Exception {
    Files.writeString(person.resolve("addresses.yaml"), text);
  }

  private static boolean isBroken(JsonObject status) {
    return !status.isNull("brokenCommit");
  }

  private static JsonObject status() {
    return Http.json(http.get("api/ledger/status", "admin", "admin"));
  }

  private static JsonObject awaitStatus(String what, Predicate<JsonObject> done) {
    return Await.until(what, Duration.ofSeconds(60), PushedCommitsIT::status, done);
  }

  private static JsonObject awaitEntry(String host, Predicate<JsonObject> done) {
    return Await.until(
        host + " to change as expected",
        Duration.ofSeconds(60),
        () -> {
          HttpResponse<String> r = http.get("api/ledger/entries/" + host, "alice", "alice");
          return r.statusCode() == 200 ? Http.json(r) : null;
        },
        last -> last != null && done.test(last));
  }

  private static HttpResponse<String> submit(String host, String name) {
    return http.call(
        "POST",
        "api/requests",
        "alice",
        "alice",
        "{\"kind\":\"vm\",\"name\":\""
            + name
            + "\",\"template\":\"debian-12\",\"network\":{\"mode\":\"ledger\",\"host\":\""
            + host
            + "\"},\"sshKeys\":[\""
            + TestKeys.ed25519("alice@laptop")
            + "\"],\"leaseDays\":5,\"purpose\":\"pushed commits tests\"}");
  }

  /** Alice takes back a request of hers (it gives up its entry). */
  private static void cancel(HttpResponse<String> created) {
    long id = Http.json(created).getJsonNumber("id").longValue();
    HttpResponse<String> r = http.call("DELETE", "api/requests/" + id, "alice", "alice", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static long total() {
    return Http.json(http.get("api/requests?limit=1", "alice", "alice")).getInt("total");
  }

  private static long requestsNamed(String name) throws Exception {
    try (Connection c = ItDatabase.connect(data)) {
      return count(c, "SELECT count(*) FROM guest_request WHERE name = '" + name + "'");
    }
  }

  private static long count(Connection c, String sql) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }
}
