package org.berth.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Berth started the way an operator starts it: {@code java -jar payara-micro.jar --deploy
 * berth.war} with settings as system properties, its output in a log file the test can read.
 */
public final class PayaraProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final URI base;

  private PayaraProcess(Process process, Path log, URI base) {
    this.process = process;
    this.log = log;
    this.base = base;
  }

  /**
   * Starts Berth as the demo ({@code berth.demo=true}, with its built-in accounts) with {@code
   * -Dname=value} settings and waits until Payara Micro is up.
   */
  public static PayaraProcess start(String name, List<String> settings) throws Exception {
    List<String> demo = new ArrayList<>(List.of("berth.demo=true"));
    demo.addAll(settings);
    return startProduction(name, demo);
  }

  /** As {@link #start(String, List)}, on a port chosen beforehand (to start it again there). */
  public static PayaraProcess start(String name, int port, List<String> settings) throws Exception {
    List<String> demo = new ArrayList<>(List.of("berth.demo=true"));
    demo.addAll(settings);
    return startProduction(name, port, demo);
  }

  /**
   * Starts Berth as production does, without the demo switch: it needs an identity provider and a
   * hypervisor in {@code settings}.
   */
  public static PayaraProcess startProduction(String name, List<String> settings) throws Exception {
    return startProduction(name, freePort(), settings);
  }

  /** As {@link #startProduction(String, List)}, on a port chosen beforehand. */
  public static PayaraProcess startProduction(String name, int port, List<String> settings)
      throws Exception {
    Path log = Files.createTempFile(Path.of("target"), name, ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                // Boots are most of the test run's time; the quick compiler alone boots about a
                // fifth faster on two cores, and tests run too briefly to miss the optimizing one.
                "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=target"));
    settings.forEach(s -> command.add("-D" + s));
    command.addAll(
        List.of(
            "-jar",
            System.getProperty("payara.microJar"),
            "--deploy",
            System.getProperty("berth.war"),
            "--contextroot",
            "/",
            "--port",
            Integer.toString(port),
            "--nohazelcast"));
    if (settings.contains("berth.demo=true") || settings.contains("berth.hypervisor=simulated")) {
      // The simulated cluster is never in the WAR: it comes on the class path, as in the demo.
      command.addAll(List.of("--addLibs", System.getProperty("berth.simulatorJar")));
    }
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PayaraProcess payara =
        new PayaraProcess(process, log, URI.create("http://localhost:" + port + "/"));
    payara.awaitStarted();
    return payara;
  }

  public URI base() {
    return base;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  private void awaitStarted() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("Payara Micro exited:\n" + log());
      }
      String out = log();
      if (out.contains("Payara Micro") && out.contains(" ready in ")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Payara Micro did not start in time:\n" + log());
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Kills the JVM at once (SIGKILL): no shutdown hooks, no clean stop. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
