package org.berth.ledger.boundary;

import java.nio.file.Path;
import java.util.Optional;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Settings;
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
  }

  public static LedgerSettings from(Config config) {
    Settings settings = new Settings(config);
    return new LedgerSettings(
        settings.text(REMOTE),
        settings.text("berth.ledger.branch", "main"),
        settings.text("berth.ledger.path", "addresses.yaml"),
        Path.of(settings.text("berth.data-dir", "data")).toAbsolutePath().normalize(),
        settings.text("berth.ledger.clone-dir").map(Path::of),
        settings.text("berth.ledger.https-user", "oauth2"),
        config.getOptionalValue("berth.ledger.token", String.class),
        settings.readableFile("berth.ledger.ssh-key"),
        settings.readableFile("berth.ledger.ssh-known-hosts"),
        settings.whole("berth.ledger.fetch-interval-seconds", 60, 5, 86400),
        config.getOptionalValue("berth.ledger.webhook-token", String.class),
        settings.text("berth.ledger.committer-name", "Berth"),
        settings.text("berth.ledger.committer-email", "berth@localhost"),
        settings.whole("berth.ledger.push-attempts", 10, 1, 100),
        settings.whole("berth.ledger.timeout-seconds", 30, 1, 3600));
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
