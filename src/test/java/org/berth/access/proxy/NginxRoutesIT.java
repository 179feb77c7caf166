package org.berth.access.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.berth.testing.Curl.Answer;
import org.berth.testing.ShippedNginx;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NginxRoutes} against a real nginx that runs the shipped {@code
 * deploy/nginx/berth-guests.conf}, with only its placeholders substituted: the routes directory,
 * loopback ports for 443 and 80 (the IPv6 listens dropped), the test certificate and the test
 * domain.
 */
@Standalone
class NginxRoutesIT extends ProxyRoutesContract {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private ShippedNginx nginx;
  private Path routesDir;
  private Path errorLog;
  private NginxRoutes writer;

  @Override
  String topologyPrefix() {
    return "bpn";
  }

  @Override
  int topologyNetwork() {
    return 77;
  }

  @Override
  void startProxy() throws Exception {
    nginx = ShippedNginx.start(dir, DOMAIN, certificate, key);
    routesDir = nginx.routesDir();
    errorLog = nginx.errorLog();
    writer = writer(testCommand(), reloadCommand());
  }

  private List<String> testCommand() {
    return nginx.testCommand();
  }

  private List<String> reloadCommand() {
    return nginx.reloadCommand();
  }

  private NginxRoutes writer(List<String> test, List<String> reload) {
    return new NginxRoutes(routesDir, test, reload, COMMAND_TIMEOUT);
  }

  @Override
  void stopProxy() {
    if (nginx != null) {
      nginx.close();
    }
  }

  /** Waits until the workers of earlier configurations have exited. */
  @Override
  void settle() {
    nginx.settle();
    assertThat(nginx.process().children().count()).as("nginx workers").isEqualTo(1);
  }

  @Override
  ProxyRoutes writer() {
    return writer;
  }

  @Override
  int httpsPort() {
    return nginx.httpsPort();
  }

  /** The route files with their content and modification times, and nginx's reload count. */
  @Override
  Object proxyState() throws IOException {
    // A reload signalled a moment ago shows in nginx's log within this time.
    sleep(150);
    return Map.of("files", files(), "reloads", reloads());
  }

  private Map<String, String> files() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(routesDir)) {
      for (Path file : list.toList()) {
        files.put(
            file.getFileName().toString(),
            Files.readString(file) + "@" + Files.getLastModifiedTime(file).toMillis());
      }
    }
    return files;
  }

  /** How often nginx's master has been told to reload, from its log. */
  private long reloads() throws IOException {
    try (Stream<String> lines = Files.lines(errorLog)) {
      return lines.filter(line -> line.contains("(SIGHUP) received")).count();
    }
  }

  @AfterEach
  void removeForeignFiles() throws IOException {
    try (Stream<Path> list = Files.list(routesDir)) {
      for (Path file : list.toList()) {
        if (!file.getFileName().toString().startsWith("berth-")) {
          Files.delete(file);
        }
      }
    }
  }

  @Test
  void writesOneReadableMapEntryPerGuestAndNoTemporaryFiles() throws IOException {
    writer.put(new Route(31, "files." + DOMAIN, guestA.address(), 8080));

    Path file = routesDir.resolve("berth-31.conf");
    assertThat(Files.readString(file))
        .isEqualTo(
            "# managed by Berth, do not edit\nfiles."
                + DOMAIN
                + " "
                + guestA.address()
                + ":8080;\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    assertThat(files().keySet()).containsExactly("berth-31.conf");
  }

  @Test
  void reloadsOncePerChangeAndNotForAnUnchangedRoute() throws IOException {
    long before = reloadsSettled();
    Route route = new Route(32, "counted." + DOMAIN, guestA.address(), 8080);

    // nginx merges reload signals that arrive together, so each change waits for its reload.
    assertThat(writer.put(route)).isTrue();
    assertThat(awaitReloads(before + 1)).isEqualTo(before + 1);
    assertThat(writer.put(route)).isFalse();
    assertThat(reloadsSettled()).isEqualTo(before + 1);
    assertThat(writer.put(new Route(32, "counted." + DOMAIN, guestB.address(), 8080))).isTrue();
    assertThat(awaitReloads(before + 2)).isEqualTo(before + 2);
    assertThat(writer.remove(32)).isTrue();
    assertThat(awaitReloads(before + 3)).isEqualTo(before + 3);
    assertThat(writer.remove(32)).isFalse();

    assertThat(reloadsSettled()).isEqualTo(before + 3);
  }

  private long reloadsSettled() throws IOException {
    sleep(150);
    return reloads();
  }

  private long awaitReloads(long count) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (reloads() < count && System.nanoTime() < deadline) {
      sleep(20);
    }
    return reloadsSettled();
  }

  @Test
  void keepsServingTheOldRouteWhenNginxRefusesTheChange() throws IOException {
    writer.put(new Route(33, "refused." + DOMAIN, guestA.address(), 8080));
    assertThat(awaitAnswer("refused", 200)).isEqualTo(new Answer(200, BODY_A));
    Path file = routesDir.resolve("berth-33.conf");
    String before = Files.readString(file);
    // Someone else's broken file in the directory makes nginx -t fail.
    Files.writeString(routesDir.resolve("zz-foreign.conf"), "not a map entry\n");

    assertThatThrownBy(() -> writer.put(new Route(33, "refused." + DOMAIN, guestB.address(), 8080)))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.transientFailure()).isFalse())
        .hasMessageContaining("berth-33")
        .hasMessageContaining("[emerg]")
        .hasMessageContaining("zz-foreign.conf");

    assertThat(Files.readString(file)).isEqualTo(before);
    assertThat(get("refused")).isEqualTo(new Answer(200, BODY_A));
    assertThatThrownBy(() -> writer.put(new Route(34, "new." + DOMAIN, guestB.address(), 8080)))
        .isInstanceOf(ProxyFailure.class);
    assertThat(routesDir.resolve("berth-34.conf")).doesNotExist();
    assertThatThrownBy(() -> writer.remove(33)).isInstanceOf(ProxyFailure.class);
    assertThat(Files.readString(file)).isEqualTo(before);
    assertThat(get("refused")).isEqualTo(new Answer(200, BODY_A));
  }

  @Test
  void refusesASecondRouteForANameInUse() throws IOException {
    writer.put(new Route(41, "taken." + DOMAIN, guestA.address(), 8080));
    awaitAnswer("taken", 200);
    Map<String, String> before = files();

    assertThatThrownBy(() -> writer.put(new Route(42, "taken." + DOMAIN, guestB.address(), 8080)))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.transientFailure()).isFalse())
        .hasMessageContaining("conflicting parameter \"taken." + DOMAIN + "\"");

    assertThat(files()).isEqualTo(before);
    assertThat(get("taken")).isEqualTo(new Answer(200, BODY_A));
  }

  @Test
  void putsTheDirectoryBackExactlyWhenTheTestCommandFails() throws IOException {
    writer.put(new Route(35, "kept." + DOMAIN, guestA.address(), 8080));
    awaitAnswer("kept", 200);
    Map<String, String> before = files();
    long reloads = reloadsSettled();
    NginxRoutes failing = writer(List.of("false"), reloadCommand());

    assertThatThrownBy(() -> failing.put(new Route(35, "kept." + DOMAIN, guestB.address(), 8080)))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.transientFailure()).isFalse())
        .hasMessageContaining("false exited with 1");
    assertThatThrownBy(() -> failing.put(new Route(36, "added." + DOMAIN, guestB.address(), 8080)))
        .isInstanceOf(ProxyFailure.class);
    assertThatThrownBy(() -> failing.remove(35)).isInstanceOf(ProxyFailure.class);

    // Content and modification times, and no file for the route that was to be added.
    assertThat(files()).isEqualTo(before);
    assertThat(reloadsSettled()).isEqualTo(reloads);
    assertThat(get("kept")).isEqualTo(new Answer(200, BODY_A));
  }

  @Test
  void aFailedReloadIsTransientAndPutsTheFileBack() throws IOException {
    writer.put(new Route(37, "reload." + DOMAIN, guestA.address(), 8080));
    awaitAnswer("reload", 200);
    String before = Files.readString(routesDir.resolve("berth-37.conf"));
    NginxRoutes cannotReload = writer(testCommand(), List.of("false"));

    assertThatThrownBy(
            () -> cannotReload.put(new Route(37, "reload." + DOMAIN, guestB.address(), 8080)))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.transientFailure()).isTrue())
        .hasMessageContaining("reloaded");

    assertThat(Files.readString(routesDir.resolve("berth-37.conf"))).isEqualTo(before);
    assertThat(get("reload")).isEqualTo(new Answer(200, BODY_A));
    // Trying again with a working reload brings the change.
    assertThat(writer.put(new Route(37, "reload." + DOMAIN, guestB.address(), 8080))).isTrue();
    assertThat(awaitBody("reload", BODY_B).body()).isEqualTo(BODY_B);
  }

  @Test
  void killsACommandThatHangsAndReportsATransientFailure() {
    NginxRoutes hanging =
        new NginxRoutes(routesDir, List.of("sleep", "30"), reloadCommand(), Duration.ofMillis(300));
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> hanging.put(new Route(38, "hanging." + DOMAIN, guestA.address(), 8080)))
        .isInstanceOfSatisfying(
            ProxyFailure.class, failure -> assertThat(failure.transientFailure()).isTrue())
        .hasMessageContaining("did not finish within 300 ms");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(routesDir.resolve("berth-38.conf")).doesNotExist();
  }

  @Test
  void namesAMissingRoutesDirectory() {
    Path missing = dir.resolve("no-such-routes");
    NginxRoutes lost = new NginxRoutes(missing, testCommand(), reloadCommand(), COMMAND_TIMEOUT);

    for (Runnable call :
        List.<Runnable>of(
            () -> lost.put(new Route(39, "lost." + DOMAIN, guestA.address(), 8080)),
            () -> lost.remove(39),
            lost::routes)) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              ProxyFailure.class, failure -> assertThat(failure.transientFailure()).isFalse())
          .hasMessageContaining(missing.toString());
    }
    assertThat(missing).doesNotExist();
  }

  @Test
  void ignoresFilesThatAreNotRoutes() throws IOException {
    writer.put(new Route(40, "listed." + DOMAIN, guestA.address(), 8080));
    Files.writeString(routesDir.resolve("berth-x.conf.bak"), "");
    Files.writeString(routesDir.resolve("README"), "");

    assertThat(writer.routes()).containsExactly(40L);
  }

  @Test
  void redirectsPlainHttpToHttps() {
    Answer answer =
        curl(
            "-D",
            "-",
            "--resolve",
            "plain." + DOMAIN + ":" + nginx.httpPort() + ":127.0.0.1",
            "http://plain." + DOMAIN + ":" + nginx.httpPort() + "/some/path?q=1");

    assertThat(answer.status()).isEqualTo(301);
    assertThat(answer.body())
        .containsIgnoringCase("location: https://plain." + DOMAIN + "/some/path?q=1\r\n");
  }

  @Test
  void describesItselfByItsDirectory() {
    assertThat(writer.description()).contains(routesDir.toString()).contains("nginx");
  }
}
