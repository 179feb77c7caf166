package org.berth.provisioning.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.testing.Http;
import org.berth.testing.PayaraProcess;
import org.berth.testing.TestDatabase;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * The provisioning benchmark: Berth in its own process on PostgreSQL, a simulated Proxmox cluster
 * whose tasks take 2 s each. It measures the time from approval until READY for one VM, then for 50
 * VMs approved at once, and Berth's own work per request (the time its jobs spent outside
 * hypervisor calls, as the provisioning log reports it). Not part of {@code mvn verify}; run it
 * with
 *
 * <pre>
 * mvn verify -Dit.test=ProvisioningBenchmark -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * It writes its report to {@code target/provisioning-benchmark.md}.
 */
class ProvisioningBenchmark {

  static final String SECRET = "be4c4000-1111-4222-8333-444455556666";
  static final String KEY = TestKeys.ed25519("bench@berth");
  static final int BATCH = Integer.getInteger("bench.batch", 50);
  static final Duration TASK = Duration.ofSeconds(2);
  static final Pattern OWN =
      Pattern.compile("Berth's own work (\\d+) ms, hypervisor calls (\\d+) ms");

  @Test
  void fiftyApprovedAtOnceAgainstOne() throws Exception {
    List<String> settings = new ArrayList<>(TestDatabase.freshSettings());
    String threads = System.getProperty("bench.threads", "32");
    String perNode = System.getProperty("bench.node-concurrency", "20");
    try (SimulatedProxmox cluster =
        SimulatedProxmox.start(
            SimulatorSettings.defaults()
                .withToken("berth@pve!bench", SECRET)
                .withTaskDuration(TASK))) {
      Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-data");
      settings.addAll(
          List.of(
              "berth.data-dir=" + data,
              "berth.proxmox.url=" + cluster.url(),
              "berth.proxmox.token-id=berth@pve!bench",
              "berth.proxmox.token-secret=" + SECRET,
              "berth.jobs.threads=" + threads,
              "berth.provisioning.node-concurrency=" + perNode,
              "berth.ledger.fetch-interval-seconds=3600"));
      PayaraProcess berth = PayaraProcess.start("bench", settings);
      try {
        Http http = new Http(berth.base());
        http.awaitLedger(true);
        http.roomFor("alice");

        measure(http, "warm", 1); // the first run warms the JVM up; it is not reported
        Duration single = measure(http, "one", 1);
        List<Long> singleOwn = ownWork(http, "one");
        Duration batch = measure(http, "many", BATCH);
        List<Long> batchOwn = ownWork(http, "many");

        double ratio = (double) batch.toMillis() / single.toMillis();
        String report =
            String.format(
                "| measure | result | target |%n|---|---|---|%n"
                    + "| one VM, approval to READY | %.1f s | |%n"
                    + "| %d VMs approved at once, until all READY | %.1f s | |%n"
                    + "| ratio | %.2f | at most 3 |%n"
                    + "| Berth's own work per request, one VM | %d ms | under 50 ms |%n"
                    + "| Berth's own work per request, %d at once: median / p95 / max | %d / %d / %d ms"
                    + " | under 50 ms |%n%n"
                    + "Simulated tasks %d s each (clone, disk resize and start per VM);"
                    + " berth.jobs.threads=%s, berth.provisioning.node-concurrency=%s, three nodes.%n",
                single.toMillis() / 1000.0,
                BATCH,
                batch.toMillis() / 1000.0,
                ratio,
                singleOwn.get(0),
                BATCH,
                percentile(batchOwn, 50),
                percentile(batchOwn, 95),
                Collections.max(batchOwn),
                TASK.toSeconds(),
                threads,
                perNode);
        System.out.println(report);
        Files.writeString(Path.of("target", "provisioning-benchmark.md"), report);
      } finally {
        berth.close();
      }
    }
  }

  /**
   * Submits {@code n} VM requests that wait for approval, approves them all at once, times READY.
   */
  private static Duration measure(Http http, String prefix, int n) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          http.call(
              "POST",
              "api/requests",
              "alice",
              "alice",
              "{\"kind\":\"vm\",\"name\":\"bench-"
                  + prefix
                  + "-"
                  + i
                  + "\",\"template\":\"debian-12\",\"cores\":2,\"memoryMiB\":2048,\"diskGiB\":20,"
                  + "\"network\":{\"mode\":\"nat\"},\"sshKeys\":[\""
                  + KEY
                  + "\"],\"leaseDays\":5,\"purpose\":\"benchmark\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(Http.json(r).getString("state")).isEqualTo("SUBMITTED");
      ids.add((long) Http.json(r).getInt("id"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 50));
    Instant start = Instant.now();
    List<Future<Integer>> approvals = new ArrayList<>();
    for (long id : ids) {
      approvals.add(
          pool.submit(
              () ->
                  http.call("POST", "api/requests/" + id + "/approve", "admin", "admin", null)
                      .statusCode()));
    }
    for (Future<Integer> a : approvals) {
      assertThat(a.get()).isEqualTo(200);
    }
    pool.shutdown();
    Instant deadline = start.plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      JsonObject page =
          Http.json(
              http.get(
                  "api/requests?q=bench-" + prefix + "-&state=READY&limit=200", "admin", "admin"));
      if (page.getInt("total") == n) {
        return Duration.between(start, Instant.now());
      }
      JsonObject failed =
          Http.json(
              http.get(
                  "api/requests?q=bench-" + prefix + "-&state=FAILED&limit=200", "admin", "admin"));
      assertThat(failed.getInt("total")).as(failed.toString()).isZero();
      Thread.sleep(100);
    }
    throw new AssertionError("not all " + n + " requests became READY within 5 minutes");
  }

  private static List<Long> ownWork(Http http, String prefix) {
    JsonObject page =
        Http.json(http.get("api/requests?q=bench-" + prefix + "-&limit=200", "admin", "admin"));
    List<Long> own = new ArrayList<>();
    for (JsonObject r : page.getJsonArray("requests").getValuesAs(JsonObject.class)) {
      JsonObject guest =
          Http.json(http.get("api/requests/" + r.getInt("id") + "/guest", "admin", "admin"));
      for (JsonObject line : guest.getJsonArray("log").getValuesAs(JsonObject.class)) {
        Matcher m = OWN.matcher(line.getString("detail"));
        if (m.find()) {
          own.add(Long.parseLong(m.group(1)));
        }
      }
    }
    assertThat(own).isNotEmpty();
    return own;
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
