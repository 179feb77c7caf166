package org.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code ssh} client with one identity. Its options live in a config file, not on the
 * command line: {@code ssh -J} starts the jump leg as another ssh that gets only {@code -F}, not
 * {@code -i} or {@code -o}.
 */
public final class SshClient {

  private final Path config;

  /** A client using the private key {@code identity}; its config file is written beside it. */
  public SshClient(Path identity) throws IOException {
    this(identity, "");
  }

  /**
   * A client using {@code identity}, with {@code more} appended to its config file: settings for
   * every host (indented) and then {@code Host} blocks, such as the block a guest page shows.
   */
  public SshClient(Path identity, String more) throws IOException {
    this.config =
        identity.resolveSibling(
            identity.getFileName() + "-" + Integer.toHexString(more.hashCode()) + ".ssh_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Host *",
            "  IdentityFile " + identity,
            "  IdentitiesOnly yes",
            "  StrictHostKeyChecking no",
            "  UserKnownHostsFile /dev/null",
            "  GlobalKnownHostsFile /dev/null",
            "  BatchMode yes",
            "  ConnectTimeout 10",
            more));
  }

  /** Runs {@code ssh -F <config> args...} to its end (at most 30 s). */
  public Exec.Result run(Object... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(RequiredProgram.SSH.require().toString(), "-F", config.toString()));
    for (Object a : args) {
      command.add(a.toString());
    }
    return Exec.run(command, null, Duration.ofSeconds(30));
  }
}
