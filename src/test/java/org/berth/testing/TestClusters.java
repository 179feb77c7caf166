package org.berth.testing;

import java.net.URI;
import java.time.Duration;
import org.berth.hypervisor.proxmox.ProxmoxSettings;

/** Settings for the Proxmox adapter against a simulated cluster in the test's JVM. */
public final class TestClusters {

  private TestClusters() {}

  /**
   * The adapter's settings for the cluster at {@code url} with an API token: short timeouts, task
   * polling every {@code polling}, guests' disks on {@code local-lvm}.
   */
  public static ProxmoxSettings proxmox(URI url, String tokenId, String secret, Duration polling) {
    return new ProxmoxSettings(
        url,
        tokenId,
        secret,
        null,
        null,
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        polling,
        "local-lvm",
        null,
        null);
  }

  /** The same, with a console user who signs in with {@code password}. */
  public static ProxmoxSettings withConsoleUser(ProxmoxSettings s, String user, String password) {
    return new ProxmoxSettings(
        s.url(),
        s.tokenId(),
        s.tokenSecret(),
        s.caFile(),
        s.fingerprint(),
        s.connectTimeout(),
        s.readTimeout(),
        s.taskTimeout(),
        s.taskPolling(),
        s.storage(),
        user,
        password);
  }
}
