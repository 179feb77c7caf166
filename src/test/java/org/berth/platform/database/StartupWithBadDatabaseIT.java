package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.berth.testing.Await;
import org.berth.testing.Http;
import org.berth.testing.Standalone;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Berth started with a database URL that points at a port where nothing listens: the log says so
 * once, naming the setting and the cause and no secret; readiness is DOWN; pages and the API answer
 * 503.
 *
 * <p>The packaged WAR is deployed here through Arquillian's Payara Micro managed container, as the
 * one test that shows the WAR deploys that way too; its settings are in {@code arquillian.xml}
 * (port 1 of loopback for the database, where nothing listens, and the password {@link #SECRET}),
 * and Payara writes its log to {@code target/arquillian-bad-database.log} as well. The other
 * integration tests share one started Berth ({@code DemoBerth}) or start Payara Micro as an
 * operator would ({@code PayaraProcess}).
 */
@Standalone
@Order(6)
@ExtendWith(ArquillianExtension.class)
class StartupWithBadDatabaseIT {

  /**
   * The database password, in the URL and as its own setting: never logged, never shown. The build
   * gives the same value to {@code arquillian.xml} and to this test.
   */
  private static final String SECRET =
      java.util.Objects.requireNonNull(
          System.getProperty("berth.badDatabaseSecret"), "berth.badDatabaseSecret");

  @Deployment(testable = false)
  static WebArchive berth() throws IOException {
    // Payara's file handler appends: a log of an earlier run must not count as this one's.
    for (Path old : logFiles()) {
      Files.delete(old);
    }
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("berth.war")));
  }

  @ArquillianResource URL deployment;

  /** Berth at the root context, on loopback (Arquillian reports the machine's outside address). */
  private URI base() {
    assertThat(deployment.getPath()).isEqualTo("/");
    return URI.create("http://localhost:" + deployment.getPort() + "/");
  }

  /** What Payara Micro has logged so far, across the files its handler rotates to. */
  private static String log() throws IOException {
    List<Path> files = logFiles();
    assertThat(files).as("Payara Micro's log, target/arquillian-bad-database.log*").isNotEmpty();
    StringBuilder log = new StringBuilder();
    for (Path file : files) {
      log.append(Files.readString(file));
    }
    return log.toString();
  }

  /**
   * The files of the log Payara writes beside its output ({@code --logtofile} in arquillian.xml).
   */
  private static List<Path> logFiles() throws IOException {
    try (var files = Files.list(Path.of("target"))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("arquillian-bad-database.log"))
          .sorted()
          .toList();
    }
  }

  @Test
  void readinessIsDownNamingTheSettingAndTheCauseToAnAdmin() {
    HttpResponse<String> anonymous = new Http(base()).get("health/ready");
    assertThat(anonymous.statusCode()).isEqualTo(503);
    assertThat(anonymous.body()).isEqualTo("{\"status\":\"DOWN\"}");

    HttpResponse<String> ready = new Http(base()).get("health/ready", "admin", "admin");

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
    Http http = new Http(base());
    Await.until(
        "three failed tries to reach the database",
        Duration.ofSeconds(60),
        () -> databaseCheck(http.get("health/ready", "admin", "admin")),
        check -> failedAttempts(check) >= 3);
    String output = log();

    List<String> failures = output.lines().filter(l -> l.contains("Database unavailable")).toList();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0))
        .contains("SEVERE")
        .contains("berth.db.url=")
        // The URL carried the password, and the log masks it.
        .contains("password=***")
        .contains("Connection refused")
        .contains("retrying every 1 s");
    assertThat(output).doesNotContain(SECRET);
  }

  @Test
  void apiAnswersServiceUnavailableInItsErrorShape() {
    HttpResponse<String> me = new Http(base()).get("api/me", "alice", "alice");

    assertThat(me.statusCode()).isEqualTo(503);
    assertThat(Http.json(me).getString("error")).isEqualTo("unavailable");
  }

  @Test
  void pagesAnswerServiceUnavailable() {
    HttpResponse<String> login = new Http(base()).get("login.xhtml");

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
