package org.berth.access.jumphost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.berth.testing.Exec;
import org.berth.testing.JumpHost;
import org.berth.testing.RequiredProgram;
import org.berth.testing.SshClient;
import org.berth.testing.Sshd;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The jump host as users meet it: a real sshd configured from the shipped {@code
 * deploy/jumphost/sshd_config.d/berth-jumphost.conf}, asking a stand-in Berth through the shipped
 * {@code berth-authorized-keys}, and the real {@code ssh -J} reaching guests, which are real sshds
 * too. Everything listens on 127.0.0.1.
 *
 * <p>From the shipped snippet only the AuthorizedKeysCommand line changes: the script is a copy in
 * the jump host's private directory, and it is started through {@code /usr/bin/env
 * BERTH_JUMPHOST_CONF=...} because sshd gives the command a bare environment and the test's
 * settings are not in {@code /etc/berth}. Port, ListenAddress, HostKey and PidFile come from {@link
 * Sshd}, and {@code UsePAM no} stands for the main sshd_config. Accounts (alice, bob, berth-keys
 * and the guests' guest) exist only inside each sshd's mount namespace.
 */
@Standalone
class JumpHostSshIT {

  static final String TOKEN = "jh_2f9Qx7mB4kLw8sVt1nYc6dRz";

  static Path keys;
  static SshClient client;
  static String alicePub;
  static String aliceFingerprint;
  static StandInBerth berth;
  static Sshd jump;
  static Sshd guest;
  static Sshd other;
  static int jumpPort;
  static int guestPort;
  static int otherPort;

  @BeforeAll
  static void start() throws Exception {
    RequiredProgram.SSH.require();
    RequiredProgram.CURL.require();
    // JUnit runs stop() even when this fails half-way.
    keys = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "jumphost-keys-");
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
    alicePub = Sshd.generateKey(keys.resolve("alice"));
    aliceFingerprint = StandInBerth.fingerprint(alicePub);
    client = new SshClient(keys.resolve("alice"));

    int[] ports = freePorts(3);
    jumpPort = ports[0];
    guestPort = ports[1];
    otherPort = ports[2];
    berth = StandInBerth.start(TOKEN);
    guest = guestSshd("guest", guestPort);
    other = guestSshd("other", otherPort);
    jump = jumpHost();
  }

  @AfterAll
  static void stop() throws IOException {
    for (AutoCloseable c : new AutoCloseable[] {jump, guest, other, berth}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // keep stopping the others
        }
      }
    }
    if (keys != null) {
      try (Stream<Path> files = Files.walk(keys)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @BeforeEach
  void aliceHasOneReadyGuest() {
    berth.grant("alice", aliceFingerprint, forwardingTo(guestPort) + alicePub);
    berth.grant("bob", aliceFingerprint, forwardingTo(guestPort) + alicePub);
  }

  @Test
  void reachesHerGuestThroughTheJumpHost() throws Exception {
    int before = berth.requests().size();

    Exec.Result r =
        ssh(
            "-J",
            "alice@127.0.0.1:" + jumpPort,
            "-p",
            guestPort,
            "guest@127.0.0.1",
            "echo on-the-guest-$((6*7))");

    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.out()).isEqualTo("on-the-guest-42\n");
    assertThat(berth.requests().subList(before, berth.requests().size()))
        .as("what the jump host asked Berth")
        .isNotEmpty()
        .allSatisfy(
            q -> {
              assertThat(q.authorization()).isEqualTo("Bearer " + TOKEN);
              assertThat(q.params())
                  .containsEntry("user", "alice")
                  .containsEntry("fingerprint", aliceFingerprint);
            });
  }

  @Test
  void cannotForwardToAnAddressHerKeyDoesNotName() throws Exception {
    Exec.Result r =
        ssh(
            "-J",
            "alice@127.0.0.1:" + jumpPort,
            "-p",
            otherPort,
            "guest@127.0.0.1",
            "echo on-the-other-$((6*7))");

    assertThat(r.exit()).isNotZero();
    assertThat(r.all()).contains("administratively prohibited").doesNotContain("on-the-other-42");
    assertThat(other.log()).doesNotContain("Accepted publickey");
  }

  @Test
  void isRefusedAtTheNextConnectionOnceBerthNoLongerListsHerKey() throws Exception {
    Exec.Result before =
        ssh("-J", "alice@127.0.0.1:" + jumpPort, "-p", guestPort, "guest@127.0.0.1", "true");
    assertThat(before.exit()).as(before.all()).isZero();
    int asked = berth.requests().size();

    berth.revoke("alice");
    Exec.Result after =
        ssh(
            "-J",
            "alice@127.0.0.1:" + jumpPort,
            "-p",
            guestPort,
            "guest@127.0.0.1",
            "echo on-the-guest-$((6*7))");

    assertThat(after.exit()).isNotZero();
    assertThat(after.all())
        .contains("Permission denied (publickey)")
        .doesNotContain("on-the-guest-42");
    assertThat(berth.requests()).as("asked again, nothing cached").hasSizeGreaterThan(asked);
  }

  @Test
  void isRefusedWhileBerthIsDown() throws Exception {
    berth.stop();
    try {
      Exec.Result r =
          ssh(
              "-J",
              "alice@127.0.0.1:" + jumpPort,
              "-p",
              guestPort,
              "guest@127.0.0.1",
              "echo on-the-guest-$((6*7))");

      assertThat(r.exit()).isNotZero();
      assertThat(r.all())
          .contains("Permission denied (publickey)")
          .doesNotContain("on-the-guest-42");
      assertThat(jump.log()).contains("cannot reach Berth").contains("failed, status 4");
    } finally {
      berth.restart();
    }
  }

  @Test
  void runsNoCommandOnTheJumpHostItself() throws Exception {
    Exec.Result r =
        ssh(
            "-p",
            jumpPort,
            "alice@127.0.0.1",
            "touch \"$HOME/ran\"; echo on-the-jump-host-$((6*7))");

    assertThat(r.exit()).isNotZero();
    assertThat(r.all())
        .as("the login shell nologin refuses")
        .contains("This account is currently not available")
        .doesNotContain("on-the-jump-host-42");
    assertThat(jump.home("alice").resolve("ran")).doesNotExist();
  }

  @Test
  void answersASessionWithTheForcedMessageEvenForAnAccountWithAShell() throws Exception {
    Exec.Result r =
        ssh("-p", jumpPort, "bob@127.0.0.1", "touch \"$HOME/ran\"; echo on-the-jump-host-$((6*7))");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("This host only forwards connections to your Berth guests");
    assertThat(r.all()).doesNotContain("on-the-jump-host-42");
    assertThat(jump.home("bob").resolve("ran")).doesNotExist();
  }

  @Test
  void leavesTheMachinesAccountsAlone() throws Exception {
    Exec.Result r =
        ssh("-J", "alice@127.0.0.1:" + jumpPort, "-p", guestPort, "guest@127.0.0.1", "true");
    assertThat(r.exit()).as(r.all()).isZero();

    for (String file : List.of("/etc/passwd", "/etc/shadow", "/etc/group")) {
      assertThat(Files.readAllLines(Path.of(file)))
          .as(file)
          .noneMatch(
              l ->
                  l.startsWith("alice:")
                      || l.startsWith("bob:")
                      || l.startsWith("guest:")
                      || l.startsWith("berth-keys:")
                      || l.startsWith("berth-users:"));
    }
  }

  /** The options Berth puts before a key: forward to this one guest's SSH port, nothing else. */
  private static String forwardingTo(int port) {
    return "restrict,port-forwarding,permitopen=\"127.0.0.1:" + port + "\" ";
  }

  private static Sshd guestSshd(String name, int port) throws IOException {
    Sshd sshd = Sshd.create(name);
    try {
      sshd.account("guest", "/bin/sh");
      sshd.authorizeKeys("guest", alicePub);
      return sshd.start(
          "127.0.0.1",
          port,
          String.join(
              "\n",
              "UsePAM no",
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "AuthorizedKeysFile " + sshd.authorizedKeysFiles()));
    } catch (IOException | RuntimeException | Error e) {
      sshd.close();
      throw e;
    }
  }

  private static Sshd jumpHost() throws IOException {
    // As the README sets up a jump host: Berth users with no shell; bob has one, to show that
    // the forced command holds even then.
    return JumpHost.start(
        URI.create(berth.url()),
        TOKEN,
        jumpPort,
        JumpHost.Account.of("alice"),
        new JumpHost.Account("bob", "/bin/sh"));
  }

  private static Exec.Result ssh(Object... args) throws Exception {
    return client.run(args);
  }

  private static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
    return ports;
  }
}
