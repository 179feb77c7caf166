package org.berth.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo Berth most integration tests share: the packaged WAR on one Payara Micro process per
 * test run, started by the first test that asks and stopped when the run ends. One boot instead of
 * one per test class; the tests keep to their own names, entries and people, and undo the faults
 * they inject into the simulated cluster, as they always had to with the shared database.
 *
 * <p>Its settings: the demo, its data (and embedded PostgreSQL) in {@code target/it-data}, the
 * simulated cluster on port 18006 with short tasks, mail to the tests' SMTP server on port 3925,
 * quick job polling, the jump host's token and name and the proxy domain that the access tests
 * expect.
 */
public final class DemoBerth {

  public static final String JUMP_HOST_TOKEN = "it-jumphost-token-0123456789";
  public static final String WEBHOOK_TOKEN = "it-webhook-secret";
  public static final String METRICS_TOKEN = "it-metrics-token-0123456789";

  /**
   * Failed sign-ins one client address may make within the window (five minutes): far more than the
   * tests make from 127.0.0.1, and few enough for {@code PortalIT} to reach from an address of its
   * own.
   */
  public static final int FAILURES_PER_ADDRESS = 1000;

  /** The simulated cluster's port; {@code -Dit.simulator-port} moves it for a second test run. */
  public static final int SIMULATOR_PORT = Integer.getInteger("it.simulator-port", 18006);

  /** The tests' SMTP server's port; {@code -Dit.smtp-port} moves it for a second test run. */
  public static final int SMTP_PORT = Integer.getInteger("it.smtp-port", 3925);

  /** The shared Berth's simulated cluster, steered through its control API. */
  public static final SimulatorControl SIM =
      new SimulatorControl(URI.create("http://127.0.0.1:" + SIMULATOR_PORT + "/"));

  private static PayaraProcess process;

  private DemoBerth() {}

  /** The shared Berth's address, its root context ({@code http://localhost:PORT/}). */
  public static synchronized URI base() {
    if (process == null) {
      try {
        process = PayaraProcess.start("demo-berth", settings());
      } catch (Exception e) {
        throw new IllegalStateException("the shared demo Berth did not start", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(DemoBerth::stop));
    }
    return process.base();
  }

  /** What makes this run's names new: the shared database keeps the rows of earlier runs. */
  public static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  /** A client for the shared Berth. */
  public static Http http() {
    return new Http(base());
  }

  /**
   * A client for the shared Berth once it has read its ledger, with room in the quotas of {@code
   * people} for whatever a test submits.
   */
  public static Http readyFor(String... people) {
    Http http = http();
    http.awaitLedger(true);
    for (String person : people) {
      http.roomFor(person);
    }
    return http;
  }

  /** What the shared Berth's {@code /metrics} says now, read with the scraper's token. */
  public static String metrics() {
    Http http = http();
    java.net.http.HttpResponse<String> r =
        http.send(
            java.net.http.HttpRequest.newBuilder(http.uri("metrics"))
                .header("Authorization", "Bearer " + METRICS_TOKEN)
                .GET()
                .build());
    if (r.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** What the shared Berth has printed so far. */
  public static String log() throws java.io.IOException {
    base();
    return process.log();
  }

  private static List<String> settings() {
    return List.of(
        "berth.data-dir=" + Path.of("target/it-data").toAbsolutePath(),
        "berth.ledger.webhook-token=" + WEBHOOK_TOKEN,
        "berth.ledger.fetch-interval-seconds=3600",
        "berth.jobs.polling-interval-seconds=2",
        "berth.jobs.heartbeat-seconds=2",
        "berth.mail.smtp-host=127.0.0.1",
        "berth.mail.smtp-port=" + SMTP_PORT,
        "berth.portal-url=http://berth.test",
        "berth.simulator.port=" + SIMULATOR_PORT,
        "berth.simulator.task-seconds=0.3",
        "berth.provisioning.retry-seconds=0.2",
        "berth.proxmox.read-timeout-seconds=3",
        "berth.jumphost.token=" + JUMP_HOST_TOKEN,
        "berth.metrics.token=" + METRICS_TOKEN,
        "berth.jumphost.host=jump.berth.test",
        "berth.proxy.domain=guests.berth.test",
        // Some tests sign in wrongly on purpose; across a whole run that must not lock anyone out.
        "berth.signin.max-failures-per-address=" + FAILURES_PER_ADDRESS);
  }

  private static synchronized void stop() {
    if (process != null) {
      try {
        process.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }
}
