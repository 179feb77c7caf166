package org.berth.testing;

import static org.junit.jupiter.api.Assertions.fail;

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

  /** Skips (or in CI fails) the calling test unless the program is installed. */
  public Path require() {
    if (!Files.isExecutable(path)) {
      String message = "needs " + path + ", which this machine lacks; install it with: " + install;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return path;
  }
}
