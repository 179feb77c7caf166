package org.berth.ledger.boundary;

import java.nio.file.Path;
import java.util.Optional;
import org.berth.platform.config.InvalidSetting;
import org.eclipse.microprofile.config.Config;

/**
 * The ledger's settings; see docs/configuration.md.
 *
 * @param remote the ledger repository's URL; empty for the demo's local remote
 * @param token a token for an https remote; secret
 */
public record LedgerSettings(
    Optional<String> remote,
    String branch,
    String path,
    Path dataDirectory,
    Optional<Path> cloneDirectory,
    String httpsUser,
    Optional<String> token,
    Optional<Path> sshKey,
    Optional<Path> sshKnownHosts,
    int fetchIntervalSeconds,
    Optional<String> webhookToken,
    String committerName,
    String committerEmail,
    int pushAttempts,
    int timeoutSeconds) {

  public static final String REMOTE = "berth.ledger.remote";

  public LedgerSettings {
    remote = remote.map(String::strip).filter(s -> !s.isEmpty());
    token = token.filter(s -> !s.isBlank());
    webhookToken = webhookToken.filter(s -> !s.isBlank());
    if (branch.isBlank() || !branch.matches("[A-Za-z0-9._/-]+")) {
      throw new InvalidSetting("berth.ledger.branch", "must be a branch name such as main");
    }
    if (path.isBlank() || path.contains("..")) {
      throw new InvalidSetting(
          "berth.ledger.path",
          "must be a file or folder inside the repository, such as addresses.yaml");
    }
    if (sshKey.isPresent() != sshKnownHosts.isPresent()) {
      throw new InvalidSetting(
          sshKey.isPresent() ? "berth.ledger.ssh-known-hosts" : "berth.ledger.ssh-key",
          "must be set together with "
              + (sshKey.isPresent() ? "berth.ledger.ssh-key" : "berth.ledger.ssh-known-hosts"));
    }
    if (fetchIntervalSeconds < 5) {
      throw new InvalidSetting("berth.ledger.fetch-interval-seconds", "must be at least 5");
    }
    if (pushAttempts < 1 || pushAttempts > 100) {
      throw new InvalidSetting("berth.ledger.push-attempts", "must be between 1 and 100");
    }
    if (timeoutSeconds < 1) {
      throw new InvalidSetting("berth.ledger.timeout-seconds", "must be at least 1");
    }
  }

  public static LedgerSettings from(Config config) {
    return new LedgerSettings(
        config.getOptionalValue(REMOTE, String.class),
        config.getOptionalValue("berth.ledger.branch", String.class).orElse("main"),
        config.getOptionalValue("berth.ledger.path", String.class).orElse("addresses.yaml"),
        Path.of(config.getOptionalValue("berth.data-dir", String.class).orElse("data"))
            .toAbsolutePath()
            .normalize(),
        config.getOptionalValue("berth.ledger.clone-dir", String.class).map(Path::of),
        config.getOptionalValue("berth.ledger.https-user", String.class).orElse("oauth2"),
        config.getOptionalValue("berth.ledger.token", String.class),
        path(config, "berth.ledger.ssh-key"),
        path(config, "berth.ledger.ssh-known-hosts"),
        integer(config, "berth.ledger.fetch-interval-seconds", 60),
        config.getOptionalValue("berth.ledger.webhook-token", String.class),
        config.getOptionalValue("berth.ledger.committer-name", String.class).orElse("Berth"),
        config
            .getOptionalValue("berth.ledger.committer-email", String.class)
            .orElse("berth@localhost"),
        integer(config, "berth.ledger.push-attempts", 10),
        integer(config, "berth.ledger.timeout-seconds", 30));
  }

  private static Optional<Path> path(Config config, String name) {
    Optional<Path> p =
        config.getOptionalValue(name, String.class).filter(s -> !s.isBlank()).map(Path::of);
    if (p.isPresent() && !java.nio.file.Files.isReadable(p.get())) {
      throw new InvalidSetting(name, "must name a readable file");
    }
    return p;
  }

  private static int integer(Config config, String name, int fallback) {
    String v = config.getOptionalValue(name, String.class).orElse("").strip();
    try {
      return v.isEmpty() ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidSetting(name, "must be a whole number");
    }
  }

  /** The demo's remote: a bare repository in the data directory, seeded from ipam-seed. */
  public Path demoRemote() {
    return dataDirectory.resolve("ledger.git");
  }

  public Path clone() {
    return cloneDirectory.orElse(dataDirectory.resolve("ledger-clone"));
  }

  public String remoteUri() {
    return remote.orElse(demoRemote().toUri().toString());
  }

  /** The remote's URL without any credentials in it, for pages and logs. */
  public String safeRemote() {
    return org.berth.ledger.control.GitLedger.safe(remoteUri());
  }

  @Override
  public String toString() {
    return "LedgerSettings[remote=" + safeRemote() + "]";
  }
}
