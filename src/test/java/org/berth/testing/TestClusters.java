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
        "local-lvm");
  }
}
