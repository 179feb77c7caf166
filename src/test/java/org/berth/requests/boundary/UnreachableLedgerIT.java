package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.berth.testing.Http;
import org.berth.testing.ItDatabase;
import org.berth.testing.PayaraProcess;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * A ledger request while the ledger's Git remote cannot be reached: Berth says so at once, and
 * since nothing was pushed it keeps nothing: no request, no claim, no job waiting to check one.
 * Once the remote is back, the same request goes through.
 */
class UnreachableLedgerIT {

  static final String HOST = "pvm030.example.com";

  @Test
  void aClaimFailsFastAndLeavesNothingWhileTheRemoteIsAway() throws Exception {
    Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "unreachable-ledger");
    try (PayaraProcess berth =
        PayaraProcess.start(
            "unreachable-ledger",
            List.of("berth.data-dir=" + data, "berth.ledger.fetch-interval-seconds=3600"))) {
      Http http = new Http(berth.base());
      http.awaitLedger(true);
      assertThat(entry(http).getString("state")).isEqualTo("free");
      long before = total(http);
      Path remote = data.resolve("ledger.git");
      Path away = data.resolve("ledger.git.away");
      String head = Files.readString(remote.resolve("refs/heads/main")).strip();

      Files.move(remote, away);
      Instant start = Instant.now();
      HttpResponse<String> refused = submit(http);
      Duration took = Duration.between(start, Instant.now());

      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      JsonObject error = Http.json(refused);
      assertThat(error.getString("error")).isEqualTo("ledger_unavailable");
      assertThat(error.getString("message"))
          .startsWith("The address ledger's Git remote cannot be reached; nothing was claimed");
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      assertThat(total(http)).isEqualTo(before);
      assertThat(http.get("api/requests?limit=1000", "alice", "alice").body())
          .doesNotContain("unreachable");
      JsonObject entry = entry(http);
      assertThat(entry.getString("state")).isEqualTo("free");
      assertThat(entry.isNull("holder") || !entry.containsKey("holder")).isTrue();
      try (Connection c = ItDatabase.connect(data)) {
        assertThat(count(c, "SELECT count(*) FROM guest_request WHERE name = 'unreachable'"))
            .isZero();
        assertThat(count(c, "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'claim-check'"))
            .isZero();
        assertThat(count(c, "SELECT count(*) FROM mail_outbox WHERE body LIKE '%unreachable%'"))
            .isZero();
      }

      Files.move(away, remote);
      assertThat(Files.readString(remote.resolve("refs/heads/main")).strip()).isEqualTo(head);
      HttpResponse<String> created = submit(http);

      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(Http.json(created).getJsonObject("address").getString("claimCommit")).isNotBlank();
      assertThat(entry(http).getString("holder")).isEqualTo("alice");
      assertThat(total(http)).isEqualTo(before + 1);
    }
  }

  private static HttpResponse<String> submit(Http http) {
    return http.call(
        "POST",
        "api/requests",
        "alice",
        "alice",
        "{\"kind\":\"vm\",\"name\":\"unreachable\",\"template\":\"debian-12\",\"network\":"
            + "{\"mode\":\"ledger\",\"host\":\""
            + HOST
            + "\"},\"sshKeys\":[\""
            + TestKeys.ed25519("alice@laptop")
            + "\"],\"leaseDays\":5,\"purpose\":\"ledger remote tests\"}");
  }

  private static JsonObject entry(Http http) {
    return Http.json(http.get("api/ledger/entries/" + HOST, "alice", "alice"));
  }

  private static long total(Http http) {
    return Http.json(http.get("api/requests?limit=1", "alice", "alice")).getInt("total");
  }

  private static long count(Connection c, String sql) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }
}
