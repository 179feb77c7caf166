package org.berth.ledger.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.berth.testing.GitCli.git;

import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.berth.testing.Http;
import org.berth.testing.PayaraProcess;
import org.junit.jupiter.api.Test;

/**
 * Without any webhook, Berth fetches the ledger remote every berth.ledger.fetch-interval-seconds:
 * an entry someone claims by hand with git shows as taken by them shortly after the push.
 */
class PeriodicFetchIT {

  @Test
  void aHandClaimPushedWithGitShowsUpAtTheNextFetch() throws Exception {
    Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "periodic-fetch");
    try (PayaraProcess berth =
        PayaraProcess.start(
            "periodic-fetch",
            List.of("berth.data-dir=" + data, "berth.ledger.fetch-interval-seconds=5"))) {
      Http http = new Http(berth.base());
      awaitState(http, "pvm030.example.com", "free", 60);

      Path person = data.resolve("person");
      git(data, "clone", "-q", data.resolve("ledger.git").toString(), person.toString());
      Path file = person.resolve("addresses.yaml");
      String text = Files.readString(file);
      String entry = "  MAC:  52:54:00:BE:00:1D\n";
      assertThat(text).contains(entry);
      Files.writeString(file, text.replace(entry, entry + "  User: frank\n  Date: 2026-11-21\n"));
      git(person, "commit", "-q", "-am", "frank takes pvm030");
      git(person, "push", "-q", "origin", "HEAD:main");

      JsonObject taken = awaitState(http, "pvm030.example.com", "taken", 30);
      assertThat(taken.getString("holder")).isEqualTo("frank");
      assertThat(taken.getJsonArray("history").getJsonObject(0).getString("message"))
          .isEqualTo("frank takes pvm030");
    }
  }

  private static JsonObject awaitState(Http http, String host, String state, int seconds)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(seconds);
    JsonObject last = null;
    while (Instant.now().isBefore(deadline)) {
      var response = http.get("api/ledger/entries/" + host, "alice", "alice");
      if (response.statusCode() == 200) {
        last = Http.json(response);
        if (state.equals(last.getString("state"))) {
          return last;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        host + " did not become " + state + " in " + seconds + " s; last: " + last);
  }
}
