package org.berth.ledger.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.berth.testing.RequiredProgram;
import org.berth.testing.Standalone;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A ledger remote reached over ssh with a key, through a real sshd on loopback. */
@Standalone
class SshRemoteIT {

  static Path dir;
  static Process sshd;
  static int port;
  static String hostKeyLine;

  @BeforeAll
  static void startSshd() throws Exception {
    RequiredProgram.SSHD.require();
    RequiredProgram.SSH_KEYGEN.require();
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sshd");
    keygen(dir.resolve("host_key"));
    keygen(dir.resolve("id_ed25519"));
    Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(Path.of("/run/sshd"));
    Path config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + dir.resolve("host_key"),
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "StrictModes no",
            "UsePAM no",
            ""));
    sshd =
        new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    awaitPort(port);
    hostKeyLine =
        "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")).strip();
  }

  @AfterAll
  static void stopSshd() throws InterruptedException {
    if (sshd != null) {
      sshd.destroy();
      sshd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void claimsOverSshWithAKeyAndKnownHost() throws Exception {
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, hostKeyLine + "\n");
    try (LedgerFixture f = LedgerFixture.oneFile(LedgerWriterIT.ledger(3));
        LedgerWriter berth = writer(f, knownHosts, "good")) {
      berth.sync();

      berth.claim(LedgerWriterIT.host(2), "alice", LedgerFixture.author("alice"), null);

      assertThat(f.remoteFile("addresses.yaml")).contains("  User: alice\n");
    }
  }

  @Test
  void refusesAServerWhoseKeyIsNotInKnownHosts() throws Exception {
    Path other = dir.resolve("other_host_key");
    keygen(other);
    Path knownHosts = dir.resolve("known_hosts_other");
    Files.writeString(
        knownHosts,
        "[127.0.0.1]:"
            + port
            + " "
            + Files.readString(dir.resolve("other_host_key.pub")).strip()
            + "\n");
    try (LedgerFixture f = LedgerFixture.oneFile(LedgerWriterIT.ledger(3));
        LedgerWriter berth = writer(f, knownHosts, "bad")) {
      assertThatThrownBy(berth::sync)
          .isInstanceOf(LedgerRemoteUnavailable.class)
          .hasMessageContaining("cannot fetch the ledger from ssh://");
      assertThat(f.remoteLog()).hasSize(1);
    }
  }

  private static LedgerWriter writer(LedgerFixture f, Path knownHosts, String name) {
    String url = "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + f.remote;
    GitLedger git =
        GitLedger.open(
            f.root.resolve("ssh-clone-" + name),
            url,
            "main",
            "addresses.yaml",
            new GitLedger.Access(null, new GitLedger.SshKey(dir.resolve("id_ed25519"), knownHosts)),
            20);
    return new LedgerWriter(
        git, f.database, new PersonIdent("Berth", "berth@example.com"), Clock.systemUTC(), 5);
  }

  private static void keygen(Path key) throws Exception {
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new AssertionError("ssh-keygen failed: " + out);
    }
  }

  private static void awaitPort(int port) throws Exception {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (!sshd.isAlive()) {
          throw new AssertionError("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError("sshd did not listen: " + Files.readString(dir.resolve("sshd.log")));
  }
}
