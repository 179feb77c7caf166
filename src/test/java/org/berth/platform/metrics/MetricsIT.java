package org.berth.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.testing.DemoBerth;
import org.berth.testing.Exec;
import org.berth.testing.Http;
import org.berth.testing.PrometheusText;
import org.berth.testing.RequiredProgram;
import org.berth.testing.SimulatorControl;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of a running Berth as Prometheus reads it: only with the scraper's token, in a
 * format Prometheus's own {@code promtool} accepts, with Berth's figures, and a failed provisioning
 * moves the failure count.
 */
class MetricsIT {

  static final SimulatorControl SIM = DemoBerth.SIM;

  static final RequiredProgram PROMTOOL =
      new RequiredProgram(Path.of("/usr/bin/promtool"), "apt-get install prometheus");

  Http http;
  HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void ready() {
    http = DemoBerth.readyFor("alice");
    SIM.clearFaults();
  }

  @AfterEach
  void clean() {
    SIM.clearFaults();
  }

  HttpResponse<String> scrape(String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("metrics")).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  String metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = scrape("Bearer " + DemoBerth.METRICS_TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  static OptionalDouble sample(String body, String name, Map<String, String> labels) {
    return PrometheusText.sample(body, name, labels);
  }

  @Test
  void onlyTheScrapersTokenReadsMetrics() throws Exception {
    HttpResponse<String> none = scrape(null);
    HttpResponse<String> wrong = scrape("Bearer it-metrics-token-WRONG-0123");
    HttpResponse<String> personal = scrape("Basic YWRtaW46YWRtaW4=");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"Berth metrics\"");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(personal.statusCode())
        .as("an admin's password is not the scraper's token")
        .isEqualTo(401);
    assertThat(none.body() + wrong.body()).doesNotContain("berth_requests");
  }

  @Test
  void promtoolAcceptsWhatBerthServesAndTheFiguresAreThere() throws Exception {
    Path promtool =
        new RequiredProgram(Path.of("/usr/bin/promtool"), "apt-get install prometheus").require();
    HttpResponse<String> r = scrape("Bearer " + DemoBerth.METRICS_TOKEN);
    assertThat(r.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain; version=0.0.4");
    String body = r.body();

    Path file = Files.createTempFile(Path.of("target"), "metrics", ".txt");
    Files.writeString(file, body);
    Process check =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String said = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as("promtool check metrics said: %s", said).isZero();

    for (String state : new String[] {"SUBMITTED", "READY", "FAILED", "DELETED"}) {
      assertThat(sample(body, "berth_requests", Map.of("state", state)))
          .as("requests in %s", state)
          .isPresent();
    }
    assertThat(sample(body, "berth_part_up", Map.of("part", "hypervisor"))).isPresent();
    assertThat(sample(body, "berth_ledger_last_sync_age_seconds", Map.of())).isPresent();
    assertThat(sample(body, "berth_ledger_claims_total", Map.of("outcome", "claimed"))).isPresent();
    assertThat(sample(body, "berth_ledger_push_rejections_total", Map.of())).isPresent();
    assertThat(sample(body, "berth_jobs_due", Map.of())).isPresent();
    assertThat(sample(body, "berth_jobs_oldest_due_age_seconds", Map.of())).isPresent();
    assertThat(sample(body, "berth_mail_unsent", Map.of("retrying", "true"))).isPresent();
    assertThat(sample(body, "berth_jumphost_key_lookups_total", Map.of("outcome", "refused")))
        .isPresent();
    assertThat(sample(body, "berth_proxy_route_failures_total", Map.of())).isPresent();
    assertThat(sample(body, "berth_requests_submitted_total", Map.of("network", "nat")))
        .isPresent();
    assertThat(sample(body, "jvm_memory_used_bytes", Map.of("area", "heap"))).isPresent();
    assertThat(body).doesNotContain(DemoBerth.METRICS_TOKEN, DemoBerth.JUMP_HOST_TOKEN);
  }

  @Test
  void aFailedProvisioningMovesTheFailureCountAndTheHypervisorsErrors() throws Exception {
    Map<String, String> failed = Map.of("hypervisor", "proxmox", "outcome", "failed");
    Map<String, String> cloneErrors = Map.of("operation", "create", "outcome", "error");
    String before = metrics();
    double failedBefore = sample(before, "berth_provisioning_seconds_count", failed).orElseThrow();
    double errorsBefore =
        sample(before, "berth_hypervisor_calls_seconds_count", cloneErrors).orElseThrow();
    double submittedBefore =
        sample(before, "berth_requests_submitted_total", Map.of("network", "nat")).orElseThrow();

    SIM.fault("task-failure", "POST", "/clone$", 1, "clone failed: storage 'local-lvm' is full");
    long id =
        http.submit(
                "alice",
                "vm",
                "metrics-fail",
                "debian-12",
                "{\"mode\":\"nat\"}",
                TestKeys.ed25519("alice@laptop"))
            .getInt("id");
    JsonObject request = http.awaitRequest("alice", id, "FAILED");
    assertThat(request.getString("reason")).contains("storage 'local-lvm' is full");

    String after = metrics();
    assertThat(sample(after, "berth_provisioning_seconds_count", failed).orElseThrow())
        .isGreaterThanOrEqualTo(failedBefore + 1);
    assertThat(sample(after, "berth_hypervisor_calls_seconds_count", cloneErrors).orElseThrow())
        .isGreaterThanOrEqualTo(errorsBefore + 1);
    assertThat(
            sample(after, "berth_requests_submitted_total", Map.of("network", "nat")).orElseThrow())
        .isGreaterThanOrEqualTo(submittedBefore + 1);
    http.call("DELETE", "api/requests/" + id, "alice", "alice", null);
  }

  @Test
  void theShippedAlertRulesAndDashboardUseOnlyFiguresBerthServes() throws Exception {
    String body = metrics();
    Pattern name = Pattern.compile("\\b((?:berth|dbscheduler|jvm|process)_[a-z_]+)\\b");
    for (Path file :
        List.of(
            Path.of("deploy/prometheus/berth-alerts.yml"),
            Path.of("deploy/grafana/berth-dashboard.json"))) {
      Matcher m = name.matcher(Files.readString(file));
      int found = 0;
      while (m.find()) {
        found++;
        assertThat(body)
            .as("%s names %s, which Berth's /metrics must serve", file, m.group(1))
            .containsPattern("(?m)^" + m.group(1) + "[{ ]");
      }
      assertThat(found).as("figures named in %s", file).isGreaterThan(10);
    }
  }

  @Test
  void promtoolAcceptsTheAlertRulesAndTheirUnitTestsPass() throws Exception {
    Path promtool = PROMTOOL.require();
    Exec.Result check =
        Exec.run(
            List.of(promtool.toString(), "check", "rules", "deploy/prometheus/berth-alerts.yml"),
            null,
            Duration.ofSeconds(60));
    assertThat(check.exit()).as(check.all()).isZero();
    assertThat(check.out()).contains("SUCCESS: 11 rules found");
    Exec.Result test =
        Exec.run(
            List.of(
                promtool.toString(), "test", "rules", "deploy/prometheus/berth-alerts.test.yml"),
            null,
            Duration.ofSeconds(60));
    assertThat(test.exit()).as(test.all()).isZero();
  }

  /**
   * The operator's setup end to end: Debian's Prometheus with the shipped scrape job (pointed at
   * this Berth over HTTP) and alert rules scrapes Berth with the token and evaluates every rule.
   */
  @Test
  void prometheusScrapesBerthWithTheTokenAndEvaluatesTheRules() throws Exception {
    Path prometheus =
        new RequiredProgram(Path.of("/usr/bin/prometheus"), "apt-get install prometheus").require();
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "prometheus");
    Files.writeString(dir.resolve("token"), DemoBerth.METRICS_TOKEN + "\n");
    Files.copy(Path.of("deploy/prometheus/berth-alerts.yml"), dir.resolve("berth-alerts.yml"));
    String config =
        Files.readString(Path.of("deploy/prometheus/prometheus.yml"))
            .replace("scrape_interval: 30s", "scrape_interval: 1s")
            .replace("scheme: https", "scheme: http")
            .replace("/etc/prometheus/berth-metrics.token", dir.resolve("token").toString())
            .replace("berth1.example.org:443", "127.0.0.1:" + http.uri("/").getPort());
    assertThat(config)
        .as("the shipped scrape job has the parts this test replaces")
        .contains(dir.toString());
    Files.writeString(
        dir.resolve("prometheus.yml"), config + "\nglobal:\n  evaluation_interval: 1s\n");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process server =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
      JsonObject up = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        try {
          HttpResponse<String> answer =
              client.send(
                  HttpRequest.newBuilder(
                          api.resolve(
                              "query?query="
                                  + java.net.URLEncoder.encode("up{job=\"berth\"}", "UTF-8")))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          // While its storage starts, Prometheus answers 503 "Service Unavailable" in plain text.
          if (answer.statusCode() == 200) {
            up = Http.json(answer);
            if (up.getJsonObject("data").getJsonArray("result").size() == 1) {
              break;
            }
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(500);
      }
      assertThat(up).as(Files.readString(dir.resolve("prometheus.log"))).isNotNull();
      assertThat(
              up.getJsonObject("data")
                  .getJsonArray("result")
                  .getJsonObject(0)
                  .getJsonArray("value")
                  .getString(1))
          .as("Prometheus reached /metrics with the token")
          .isEqualTo("1");
      JsonObject rules =
          Http.json(
              client.send(
                  HttpRequest.newBuilder(api.resolve("rules")).build(),
                  HttpResponse.BodyHandlers.ofString()));
      List<JsonObject> loaded =
          rules
              .getJsonObject("data")
              .getJsonArray("groups")
              .getJsonObject(0)
              .getJsonArray("rules")
              .getValuesAs(JsonObject.class);
      assertThat(loaded).hasSize(11);
      assertThat(loaded)
          .as("no rule fails to evaluate against Berth's series")
          .allSatisfy(r -> assertThat(r.getString("health")).isNotEqualTo("err"));
    } finally {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
    }
  }
}
