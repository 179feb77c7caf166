package org.berth.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The SSH jump host as an operator sets it up from {@code deploy/jumphost/}: a real sshd with the
 * shipped {@code sshd_config.d/berth-jumphost.conf}, the shipped {@code berth-authorized-keys}
 * asking {@code berth} with a token file readable by {@code berth-keys} only, and one account per
 * Berth user in the group {@code berth-users} (accounts that exist for this sshd only, see {@link
 * Sshd}).
 *
 * <p>Of the shipped snippet only the AuthorizedKeysCommand line changes: the script is a copy in
 * the sshd's private directory, started through {@code /usr/bin/env BERTH_JUMPHOST_CONF=...}
 * because sshd gives the command a bare environment and the test's settings are not in {@code
 * /etc/berth}. {@code UsePAM no} stands for the main sshd_config.
 */
public final class JumpHost {

  public static final Path SNIPPET = Path.of("deploy/jumphost/sshd_config.d/berth-jumphost.conf");
  public static final Path SCRIPT = Path.of("deploy/jumphost/berth-authorized-keys");
  public static final String SHIPPED_COMMAND =
      "AuthorizedKeysCommand /usr/local/lib/berth/berth-authorized-keys %u %f";

  private JumpHost() {}

  /** One Berth user's account on the jump host, with its login shell. */
  public record Account(String name, String shell) {

    /** An account as the setup notes create it: no shell. */
    public static Account of(String name) {
      return new Account(name, "/usr/sbin/nologin");
    }
  }

  /**
   * Starts the jump host on {@code 127.0.0.1:port}, asking the Berth at {@code berth} with {@code
   * token}; the caller closes the returned sshd.
   */
  public static Sshd start(URI berth, String token, int port, Account... accounts)
      throws IOException {
    Sshd sshd = Sshd.create("jump");
    try {
      for (Account a : accounts) {
        sshd.account(a.name(), a.shell(), "berth-users");
      }
      sshd.account("berth-keys", "/usr/sbin/nologin");
      Path script = sshd.dir().resolve("berth-authorized-keys");
      Files.copy(SCRIPT, script, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path tokenFile = sshd.dir().resolve("jumphost.token");
      Files.writeString(tokenFile, token + "\n");
      Files.setAttribute(tokenFile, "unix:gid", sshd.gid("berth-keys"));
      Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r-----"));
      Path conf = sshd.dir().resolve("jumphost.conf");
      Files.writeString(
          conf,
          String.join(
              "\n", "BERTH_URL=" + berth, "BERTH_TOKEN_FILE=" + tokenFile, "BERTH_TIMEOUT=3", ""));
      String snippet = Files.readString(SNIPPET);
      if (!snippet.contains(SHIPPED_COMMAND)) {
        throw new AssertionError(SNIPPET + " no longer holds: " + SHIPPED_COMMAND);
      }
      String config =
          snippet.replace(
              SHIPPED_COMMAND,
              "AuthorizedKeysCommand /usr/bin/env BERTH_JUMPHOST_CONF="
                  + conf
                  + " "
                  + script
                  + " %u %f");
      return sshd.start("127.0.0.1", port, "UsePAM no\n" + config);
    } catch (IOException | RuntimeException | Error e) {
      sshd.close();
      throw e;
    }
  }
}
