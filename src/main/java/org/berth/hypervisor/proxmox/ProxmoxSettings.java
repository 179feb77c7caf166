package org.berth.hypervisor.proxmox;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach one Proxmox VE cluster.
 *
 * @param url the API's base, such as {@code https://pve1.example.org:8006}
 * @param tokenId {@code USER@REALM!TOKENID}
 * @param caFile PEM certificates to trust instead of the JVM's CAs, or null
 * @param fingerprint the SHA-256 fingerprint of the server certificate to trust (hex, colons
 *     optional), or null; it replaces CA and host name checks, as Proxmox's own clients do
 * @param storage where containers' root disks are allocated
 * @param consoleUser the Proxmox user ({@code USER@REALM}, no token) that signs in with a password
 *     to open terminals, holding only {@code VM.Console}; null: Berth opens no Proxmox consoles
 * @param consolePassword that user's password; never logged
 */
public record ProxmoxSettings(
    URI url,
    String tokenId,
    String tokenSecret,
    Path caFile,
    String fingerprint,
    Duration connectTimeout,
    Duration readTimeout,
    Duration taskTimeout,
    Duration taskPolling,
    String storage,
    String consoleUser,
    String consolePassword) {

  /** Whether Berth may open terminals on the cluster's guests. */
  public boolean consoles() {
    return consoleUser != null;
  }

  @Override
  public String toString() {
    // The secrets are left out on purpose.
    return "ProxmoxSettings[url="
        + url
        + ", tokenId="
        + tokenId
        + ", consoleUser="
        + consoleUser
        + "]";
  }
}
