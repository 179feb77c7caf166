package org.berth.access.jumphost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.berth.access.jumphost.StandInBerth.Answer;
import org.berth.testing.Exec;
import org.berth.testing.RequiredProgram;
import org.berth.testing.Standalone;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped AuthorizedKeysCommand, {@code deploy/jumphost/berth-authorized-keys}, run the way
 * sshd runs it (as an unprivileged user, in sshd's bare environment) against a stand-in Berth on
 * loopback. It prints Berth's restricted key lines, and on every kind of failure prints nothing and
 * exits non-zero.
 */
@Standalone
class JumpHostScriptIT {

  static final Path SHIPPED = Path.of("deploy/jumphost/berth-authorized-keys").toAbsolutePath();

  /** nobody and nogroup stand in for the berth-keys user and group. */
  static final int NOBODY = 65534;

  static final int TIMEOUT_SECONDS = 2;

  static final String TOKEN = "jh_" + random(24);
  static final String KEY = TestKeys.ed25519("alice@laptop");

  /** A fingerprint whose base64 has the characters that need URL encoding: + and /. */
  static final String FINGERPRINT =
      "SHA256:++++////" + random(32).replace('-', 'A').replace('_', 'B').substring(0, 35);

  static final String LINE =
      "restrict,port-forwarding,permitopen=\"10.77.0.5:22\",permitopen=\"10.77.0.9:22\" " + KEY;

  static Path dir;
  static Path script;
  static Path tokenFile;
  static Path conf;
  static StandInBerth berth;

  @BeforeAll
  static void install() throws IOException {
    RequiredProgram.CURL.require();
    RequiredProgram.SETPRIV.require();
    // Under /run, whose parents only root can write, as on a jump host.
    dir = Files.createTempDirectory(Path.of("/run"), "berth-test-jumphost-script-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    script = dir.resolve("berth-authorized-keys");
    Files.copy(SHIPPED, script, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    tokenFile = tokenFile("jumphost.token", TOKEN);
    conf = dir.resolve("jumphost.conf");
    berth = StandInBerth.start(TOKEN);
  }

  @BeforeEach
  void settings() throws IOException {
    writeConf(berth.url(), tokenFile, TIMEOUT_SECONDS);
  }

  @AfterEach
  void resetBerth() {
    berth.answerWith(null);
    berth.releaseAnswers();
    berth.revoke("alice");
  }

  @AfterAll
  static void remove() throws IOException {
    if (berth != null) {
      berth.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void printsTheLinesBerthGrantsForTheUserAndKey() throws Exception {
    berth.grant("alice", FINGERPRINT, LINE);
    int before = berth.requests().size();

    Exec.Result r = script("alice", FINGERPRINT);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(LINE + "\n");
    assertThat(r.err()).isEmpty();
    StandInBerth.Request request = berth.requests().get(before);
    assertThat(request.path()).isEqualTo("/api/jumphost/authorized-keys");
    assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(request.params())
        .containsExactly(Map.entry("user", "alice"), Map.entry("fingerprint", FINGERPRINT));
    assertThat(request.rawQuery())
        .doesNotContain("+", "/")
        .containsIgnoringCase("%2B")
        .containsIgnoringCase("%2F");
  }

  @Test
  void printsNothingAndSucceedsForAUserWithoutGuests() throws Exception {
    Exec.Result r = script("alice", FINGERPRINT);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void keepsTheTokenOutOfEveryProcesssArgumentsAndEnvironment() throws Exception {
    berth.grant("alice", FINGERPRINT, LINE);
    berth.holdAnswers();
    int before = berth.requests().size();
    Process running = Exec.start(command("alice", FINGERPRINT), environment());
    try {
      // curl has sent its request and waits for the answer: every process is still there.
      berth.awaitRequests(before + 1, Duration.ofSeconds(10));
      List<String> commandLines = new ArrayList<>();
      for (ProcessHandle p : processTree(running)) {
        String cmdline = proc(p, "cmdline");
        String environ = proc(p, "environ");
        assertThat(cmdline).as("arguments of %s", p.pid()).doesNotContain(TOKEN);
        assertThat(environ).as("environment of %s", p.pid()).doesNotContain(TOKEN);
        commandLines.add(cmdline.replace('\0', ' '));
      }
      assertThat(commandLines)
          .as("the processes while curl waits")
          .anySatisfy(c -> assertThat(c).startsWith("curl ").contains(" --config - "));
    } finally {
      berth.releaseAnswers();
    }
    Exec.Result r =
        new Exec.Result(
            running.waitFor(), Exec.read(running.getInputStream()).join(), "", Duration.ZERO);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(LINE + "\n");
  }

  @Test
  void failsClosedWhenTheTokenIsWrong() throws Exception {
    berth.grant("alice", FINGERPRINT, LINE);
    writeConf(berth.url(), tokenFile("wrong.token", "jh_" + random(24)), TIMEOUT_SECONDS);

    assertFailsClosed(script("alice", FINGERPRINT), 5, "HTTP 401");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answersThatGrantNothing")
  void failsClosedWhenBerthsAnswerIsNoKeyList(String what, Answer answer, int status)
      throws Exception {
    berth.answerWith(answer);

    assertFailsClosed(script("alice", FINGERPRINT), status, "");
  }

  static Stream<Arguments> answersThatGrantNothing() {
    // Pages that even hold a valid line; only the content type tells them from a key list.
    String html = "<!DOCTYPE html>\n<html><body>\n" + LINE + "\n</body></html>\n";
    String loginPage = "<!DOCTYPE html>\n<html><body>\n<form>Sign in</form>\n</body></html>\n";
    return Stream.of(
        Arguments.of("a server error", new Answer(500, "text/plain", LINE + "\n"), 5),
        Arguments.of("unauthorized", new Answer(401, "text/plain", LINE + "\n"), 5),
        Arguments.of("a redirect to a login page", new Answer(302, "text/html", html), 5),
        Arguments.of("no content", new Answer(204, "text/plain", ""), 5),
        Arguments.of("an HTML page", new Answer(200, "text/html; charset=UTF-8", html), 6),
        Arguments.of("an HTML page called plain text", new Answer(200, "text/plain", loginPage), 6),
        Arguments.of(
            "only lines without restrictions",
            new Answer(200, "text/plain", KEY + "\nno-pty " + KEY + "\n"),
            6));
  }

  @Test
  void passesOnlyTheRestrictedLinesOfAnAnswer() throws Exception {
    berth.answerWith(
        new Answer(
            200,
            "text/plain",
            String.join(
                "\n",
                KEY,
                LINE,
                "port-forwarding,permitopen=\"10.77.0.5:22\" " + KEY,
                "restrict,port-forwarding " + KEY,
                " restrict,port-forwarding,permitopen=\"10.77.0.7:22\" " + KEY,
                "")));

    Exec.Result r = script("alice", FINGERPRINT);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(LINE + "\n");
    assertThat(r.err()).contains("dropped 4 lines");
  }

  @Test
  void failsClosedWhenBerthAnswersTooSlowly() throws Exception {
    berth.grant("alice", FINGERPRINT, LINE);
    berth.holdAnswers();

    Exec.Result r = script("alice", FINGERPRINT);

    assertFailsClosed(r, 4, "within 2s");
    assertThat(r.took()).isLessThan(Duration.ofMillis(TIMEOUT_SECONDS * 1000L + 1500));
  }

  @Test
  void failsClosedWhenBerthIsNotListening() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    writeConf("http://127.0.0.1:" + closed, tokenFile, TIMEOUT_SECONDS);

    assertFailsClosed(script("alice", FINGERPRINT), 4, "cannot reach Berth");
  }

  @Test
  void failsClosedWhenItCannotReadTheToken() throws Exception {
    berth.grant("alice", FINGERPRINT, LINE);
    Path unreadable = tokenFile("unreadable.token", TOKEN);
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("rw-------"));
    writeConf(berth.url(), unreadable, TIMEOUT_SECONDS);
    int before = berth.requests().size();

    assertFailsClosed(script("alice", FINGERPRINT), 3, "cannot read the token file");
    assertThat(berth.requests()).hasSize(before);
  }

  @Test
  void failsClosedOnBadSettings() throws Exception {
    berth.grant("alice", FINGERPRINT, LINE);

    Files.writeString(conf, "BERTH_URL=" + berth.url() + "\nBERTH_TOKEN=" + TOKEN + "\n");
    assertFailsClosed(script("alice", FINGERPRINT), 3, "unknown setting BERTH_TOKEN");

    writeConf("ftp://127.0.0.1/", tokenFile, TIMEOUT_SECONDS);
    assertFailsClosed(script("alice", FINGERPRINT), 3, "BERTH_URL");

    Files.delete(conf);
    assertFailsClosed(script("alice", FINGERPRINT), 3, "cannot read the settings file");
  }

  @Test
  void failsClosedWithoutAUserAndAFingerprint() throws Exception {
    berth.grant("alice", FINGERPRINT, LINE);
    int before = berth.requests().size();

    assertFailsClosed(script(), 2, "usage");
    assertFailsClosed(script("alice"), 2, "usage");
    assertFailsClosed(script("", FINGERPRINT), 2, "user");
    assertFailsClosed(script("alice", "MD5:00:11"), 2, "fingerprint");
    assertThat(berth.requests()).hasSize(before);
  }

  private static void assertFailsClosed(Exec.Result r, int status, String reason) {
    assertThat(r.out()).as("what sshd would read as keys").isEmpty();
    assertThat(r.exit()).as(r.err()).isEqualTo(status);
    assertThat(r.err()).contains(reason).doesNotContain(TOKEN);
  }

  static Exec.Result script(String... args) throws Exception {
    return Exec.run(command(args), environment(), Duration.ofSeconds(30));
  }

  /** The script as sshd's AuthorizedKeysCommandUser: an unprivileged user and group. */
  private static List<String> command(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                RequiredProgram.SETPRIV.path().toString(),
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                script.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** sshd's environment for an AuthorizedKeysCommand, plus where the settings are. */
  private static Map<String, String> environment() {
    return Map.of(
        "PATH", "/usr/local/bin:/usr/bin:/bin:/usr/games",
        "USER", "nobody",
        "LOGNAME", "nobody",
        "HOME", "/nonexistent",
        "LANG", "C.UTF-8",
        "BERTH_JUMPHOST_CONF", conf.toString());
  }

  private static void writeConf(String url, Path token, int timeout) throws IOException {
    Files.writeString(
        conf,
        String.join(
            "\n",
            "# written by " + JumpHostScriptIT.class.getSimpleName(),
            "BERTH_URL=" + url,
            "BERTH_TOKEN_FILE=" + token,
            "BERTH_TIMEOUT=" + timeout,
            ""));
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** A token file as the README makes it: root's, readable by the keys user's group (0640). */
  private static Path tokenFile(String name, String token) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, token + "\n");
    Files.setAttribute(file, "unix:gid", NOBODY);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    return file;
  }

  private static List<ProcessHandle> processTree(Process root) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root.toHandle());
    all.addAll(root.descendants().toList());
    return all;
  }

  private static String proc(ProcessHandle p, String file) {
    try {
      return new String(
          Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), file)),
          StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
