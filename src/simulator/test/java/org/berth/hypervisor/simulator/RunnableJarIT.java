package org.berth.hypervisor.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run the way people run it: {@code java -jar berth-simulator.jar --port N}. */
class RunnableJarIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void theJarServesProxmoxToAClientWithTheTokenItWroteDownAndRefusesOthers() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path secretFile = dir.resolve("token");
    Path passwordFile = dir.resolve("console-password");
    Path out = dir.resolve("out.log");
    Process jar =
        java(
                "--port",
                Integer.toString(port),
                "--token-id",
                "ops@pve!ci",
                "--token-secret-file",
                secretFile.toString(),
                "--task-seconds",
                "0",
                "--console-user",
                "ops-console@pve",
                "--console-password-file",
                passwordFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      URI version = URI.create("http://127.0.0.1:" + port + "/api2/json/version");
      Instant deadline = Instant.now().plusSeconds(30);
      while (!Files.readString(out).contains("Simulated Proxmox VE cluster at")) {
        assertThat(jar.isAlive()).as("the jar runs: %s", Files.readString(out)).isTrue();
        assertThat(Instant.now()).as("started in time").isBefore(deadline);
        Thread.sleep(100);
      }
      String secret = Files.readString(secretFile).strip();
      assertThat(Files.getPosixFilePermissions(secretFile))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.readString(out))
          .contains("http://127.0.0.1:" + port + "/api2/json/", "ops@pve!ci", secretFile.toString())
          .doesNotContain(secret);

      HttpResponse<String> ok = get(version, "PVEAPIToken=ops@pve!ci=" + secret);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("\"version\"", "\"repoid\":\"simulated\"");
      assertThat(get(version, "PVEAPIToken=ops@pve!ci=wrong").statusCode()).isEqualTo(401);
      assertThat(get(version, null).statusCode()).isEqualTo(401);

      // The console user signs in with the password the jar wrote down, for its owner only.
      String password = Files.readString(passwordFile).strip();
      assertThat(Files.getPosixFilePermissions(passwordFile))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.readString(out)).contains("ops-console@pve").doesNotContain(password);
      URI ticket = URI.create("http://127.0.0.1:" + port + "/api2/json/access/ticket");
      assertThat(signIn(ticket, "ops-console@pve", password).statusCode()).isEqualTo(200);
      assertThat(signIn(ticket, "ops-console@pve", "wrong").statusCode()).isEqualTo(401);
    } finally {
      jar.destroy();
      assertThat(jar.waitFor(20, TimeUnit.SECONDS)).as("the jar stops on SIGTERM").isTrue();
    }
  }

  @Test
  void aBadOptionIsNamedAndTheJarExitsWithTwo() throws Exception {
    Process jar = java("--port", "70000").redirectErrorStream(true).start();
    String said = new String(jar.getInputStream().readAllBytes());
    assertThat(jar.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(jar.exitValue()).isEqualTo(2);
    assertThat(said).contains("--port must be a whole number from 0 to 65535", "Usage:");
  }

  @Test
  void aPasswordFileWithoutAConsoleUserIsRefused() throws Exception {
    Process jar =
        java("--console-password-file", dir.resolve("p").toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(jar.getInputStream().readAllBytes());
    assertThat(jar.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(jar.exitValue()).isEqualTo(2);
    assertThat(said).contains("--console-password-file needs --console-user");
  }

  private static HttpResponse<String> signIn(URI uri, String user, String password)
      throws IOException, InterruptedException {
    String form =
        "username="
            + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8)
            + "&password="
            + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static ProcessBuilder java(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("berth.simulatorJar"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static HttpResponse<String> get(URI uri, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
