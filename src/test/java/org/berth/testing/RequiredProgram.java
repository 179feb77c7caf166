package org.berth.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test needs from the machine. Where it is missing the test is skipped with a message
 * that says how to install it; in CI (environment variable {@code CI=true}) it fails instead,
 * because CI installs everything and nothing may skip there.
 */
public record RequiredProgram(Path path, String install) {

  public static final RequiredProgram CHROMIUM =
      new RequiredProgram(Path.of("/usr/bin/chromium"), "apt-get install chromium");
  public static final RequiredProgram CHROMEDRIVER =
      new RequiredProgram(Path.of("/usr/bin/chromedriver"), "apt-get install chromium-driver");

  public static final RequiredProgram SSHD =
      new RequiredProgram(Path.of("/usr/sbin/sshd"), "apt-get install openssh-server");
  public static final RequiredProgram SSH_KEYGEN =
      new RequiredProgram(Path.of("/usr/bin/ssh-keygen"), "apt-get install openssh-client");
  public static final RequiredProgram SSH =
      new RequiredProgram(Path.of("/usr/bin/ssh"), "apt-get install openssh-client");
  public static final RequiredProgram CURL =
      new RequiredProgram(Path.of("/usr/bin/curl"), "apt-get install curl");

  /** Runs a test sshd in a private mount namespace (util-linux). */
  public static final RequiredProgram UNSHARE =
      new RequiredProgram(Path.of("/usr/bin/unshare"), "apt-get install util-linux");

  /** Runs a program as another user, as sshd runs its AuthorizedKeysCommand (util-linux). */
  public static final RequiredProgram SETPRIV =
      new RequiredProgram(Path.of("/usr/bin/setpriv"), "apt-get install util-linux");

  /**
   * PostgreSQL's own server and pg_dump/pg_restore of one version, from Debian's package: the
   * newest version installed under /usr/lib/postgresql.
   */
  public static final RequiredProgram POSTGRESQL =
      new RequiredProgram(newestPostgres(), "apt-get install postgresql");

  public static final RequiredProgram ANSIBLE_INVENTORY =
      new RequiredProgram(Path.of("/usr/bin/ansible-inventory"), "apt-get install ansible-core");

  public static final RequiredProgram NGINX =
      new RequiredProgram(Path.of("/usr/sbin/nginx"), "apt-get install nginx-light");
  public static final RequiredProgram CADDY =
      new RequiredProgram(Path.of("/usr/bin/caddy"), "apt-get install caddy");
  public static final RequiredProgram IP =
      new RequiredProgram(Path.of("/usr/sbin/ip"), "apt-get install iproute2");
  public static final RequiredProgram NFT =
      new RequiredProgram(Path.of("/usr/sbin/nft"), "apt-get install nftables");
  public static final RequiredProgram OPENSSL =
      new RequiredProgram(Path.of("/usr/bin/openssl"), "apt-get install openssl");

  private static Path newestPostgres() {
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+"))
          .max(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
          .map(v -> v.resolve("bin/pg_ctl"))
          .orElse(Path.of("/usr/lib/postgresql/VERSION/bin/pg_ctl"));
    } catch (java.io.IOException e) {
      return Path.of("/usr/lib/postgresql/VERSION/bin/pg_ctl");
    }
  }

  /** Skips (or in CI fails) the calling test unless the program is installed. */
  public Path require() {
    if (!Files.isExecutable(path)) {
      unavailable("needs " + path + ", which this machine lacks; install it with: " + install);
    }
    return path;
  }

  /**
   * Skips (or in CI fails) the calling test unless it runs as root, as tests that create network
   * namespaces must.
   */
  public static void requireRoot() {
    int uid;
    try {
      uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      uid = -1;
    }
    if (uid != 0) {
      unavailable(
          "needs to run as root (it creates network namespaces); this JVM runs as uid " + uid);
    }
  }

  /** Skips the calling test with {@code message}, or fails it in CI, where nothing may skip. */
  public static void unavailable(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message);
  }
}
