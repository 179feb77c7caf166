package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.berth.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth started as an operator starts it, {@code java -jar payara-micro.jar --deploy berth.war},
 * with a database URL that points at a port where nothing listens: the log says so once, naming the
 * setting and the cause and no secret; readiness is DOWN; pages and the API answer 503.
 */
class StartupWithBadDatabaseIT {

  private static final String SECRET = "s3cret-never-logged";
  private static Process payara;
  private static Path log;
  private static URI base;

  @BeforeAll
  static void startWithUnreachableDatabase() throws Exception {
    int port = freePort();
    int deadPort = freePort(); // closed again at once: nothing listens there
    log = Files.createTempFile(Path.of("target"), "bad-database", ".log");
    payara =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-XX:+UseSerialGC",
                    "-Djava.io.tmpdir=target",
                    "-Dberth.db.url=jdbc:postgresql://127.0.0.1:"
                        + deadPort
                        + "/berth?password="
                        + SECRET,
                    "-Dberth.db.password=" + SECRET,
                    "-Dberth.db.retry-interval-seconds=1",
                    "-jar",
                    System.getProperty("payara.microJar"),
                    "--deploy",
                    System.getProperty("berth.war"),
                    "--contextroot",
                    "/",
                    "--port",
                    Integer.toString(port),
                    "--nohazelcast"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    base = URI.create("http://localhost:" + port + "/");
    awaitDeployed();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (payara != null) {
      payara.destroy();
      payara.waitFor();
    }
  }

  @Test
  void readinessIsDownNamingTheSettingAndTheCause() {
    HttpResponse<String> ready = new Http(base).get("health/ready");

    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject check = Http.json(ready).getJsonArray("checks").getJsonObject(0);
    assertThat(check.getString("status")).isEqualTo("DOWN");
    assertThat(check.getJsonObject("data").getString("reason"))
        .contains("berth.db.url=jdbc:postgresql://127.0.0.1:")
        .contains("Connection refused")
        .doesNotContain(SECRET);
  }

  @Test
  void logSaysItOnceInOneLineWithoutSecrets() throws Exception {
    Thread.sleep(2500); // at least two retries at one per second
    String output = Files.readString(log);

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
    HttpResponse<String> me = new Http(base).get("api/me", "alice", "alice");

    assertThat(me.statusCode()).isEqualTo(503);
    assertThat(Http.json(me).getString("error")).isEqualTo("unavailable");
  }

  @Test
  void pagesAnswerServiceUnavailable() {
    HttpResponse<String> login = new Http(base).get("login.xhtml");

    assertThat(login.statusCode()).isEqualTo(503);
    assertThat(login.body()).contains("Berth is not ready");
  }

  private static void awaitDeployed() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      if (!payara.isAlive()) {
        throw new AssertionError("Payara Micro exited:\n" + Files.readString(log));
      }
      if (Files.readString(log).contains("Payara Micro")
          && Files.readString(log).contains(" ready in ")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Payara Micro did not start in time:\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
