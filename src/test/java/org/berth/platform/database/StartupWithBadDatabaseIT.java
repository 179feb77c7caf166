package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.berth.testing.Await;
import org.berth.testing.Http;
import org.berth.testing.PayaraProcess;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Berth started as an operator starts it, with a database URL that points at a port where nothing
 * listens: the log says so once, naming the setting and the cause and no secret; readiness is DOWN;
 * pages and the API answer 503.
 */
@Standalone
@Order(6)
class StartupWithBadDatabaseIT {

  private static final String SECRET = "s3cret-never-logged";
  private static PayaraProcess berth;

  @BeforeAll
  static void startWithUnreachableDatabase() throws Exception {
    int deadPort = PayaraProcess.freePort(); // closed again at once: nothing listens there
    berth =
        PayaraProcess.start(
            "bad-database",
            List.of(
                "berth.db.url=jdbc:postgresql://127.0.0.1:"
                    + deadPort
                    + "/berth?password="
                    + SECRET,
                "berth.db.password=" + SECRET,
                "berth.db.retry-interval-seconds=1"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (berth != null) {
      berth.close();
    }
  }

  @Test
  void readinessIsDownNamingTheSettingAndTheCauseToAnAdmin() {
    HttpResponse<String> anonymous = new Http(berth.base()).get("health/ready");
    assertThat(anonymous.statusCode()).isEqualTo(503);
    assertThat(anonymous.body()).isEqualTo("{\"status\":\"DOWN\"}");

    HttpResponse<String> ready = new Http(berth.base()).get("health/ready", "admin", "admin");

    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject check = databaseCheck(ready);
    assertThat(check.getString("status")).isEqualTo("DOWN");
    assertThat(check.getJsonObject("data").getString("reason"))
        .contains("berth.db.url=jdbc:postgresql://127.0.0.1:")
        .contains("Connection refused")
        .doesNotContain(SECRET);
    JsonObject ledger =
        Http.json(ready).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
            .filter(c -> c.getString("name").equals("ledger"))
            .findFirst()
            .orElseThrow();
    assertThat(ledger.getString("status")).isEqualTo("DOWN");
    assertThat(ledger.getJsonObject("data").getString("reason"))
        .startsWith("no valid ledger commit has been read yet");
  }

  @Test
  void logSaysItOnceInOneLineWithoutSecrets() throws Exception {
    Http http = new Http(berth.base());
    Await.until(
        "three failed tries to reach the database",
        Duration.ofSeconds(60),
        () -> databaseCheck(http.get("health/ready", "admin", "admin")),
        check -> failedAttempts(check) >= 3);
    String output = berth.log();

    List<String> failures = output.lines().filter(l -> l.contains("Database unavailable")).toList();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0))
        .contains("SEVERE")
        .contains("berth.db.url=")
        .contains("Connection refused")
        .contains("retrying every 1 s");
    assertThat(output).doesNotContain(SECRET);
  }

  @Test
  void apiAnswersServiceUnavailableInItsErrorShape() {
    HttpResponse<String> me = new Http(berth.base()).get("api/me", "alice", "alice");

    assertThat(me.statusCode()).isEqualTo(503);
    assertThat(Http.json(me).getString("error")).isEqualTo("unavailable");
  }

  @Test
  void pagesAnswerServiceUnavailable() {
    HttpResponse<String> login = new Http(berth.base()).get("login.xhtml");

    assertThat(login.statusCode()).isEqualTo(503);
    assertThat(login.body()).contains("Berth is not ready");
  }

  private static JsonObject databaseCheck(HttpResponse<String> ready) {
    return Http.json(ready).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
        .filter(c -> c.getString("name").equals("database"))
        .findFirst()
        .orElseThrow();
  }

  /** The failed tries the check counts; Payara's health output writes its numbers as text. */
  private static int failedAttempts(JsonObject check) {
    jakarta.json.JsonValue value = check.getJsonObject("data").get("failedAttempts");
    return value instanceof jakarta.json.JsonNumber n
        ? n.intValue()
        : Integer.parseInt(((jakarta.json.JsonString) value).getString());
  }
}
