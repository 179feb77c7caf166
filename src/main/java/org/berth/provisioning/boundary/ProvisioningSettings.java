package org.berth.provisioning.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.berth.access.control.NatNetwork;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Settings;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.provisioning.control.Backoff;
import org.berth.provisioning.control.GuestSpecs.Network;
import org.eclipse.microprofile.config.Config;

/**
 * The provisioning settings of this instance ({@code berth.provisioning.*}, {@code
 * berth.network.*}); the internal network of NAT guests comes from the access settings.
 */
@ApplicationScoped
public class ProvisioningSettings {

  @Inject Config config;
  @Inject NatNetwork natNetwork;

  private int nodeConcurrency;
  private int attempts;
  private Backoff backoff;
  private Duration reconcileEvery;
  private Duration shutdownTimeout;
  private Duration consoleIdle;
  private int consoleLimit;
  private int vmidMin;
  private int vmidMax;
  private Network ledger;
  private Network nat;

  /** Reads the settings at start-up, so that one out of its range stops the start by name. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // creating the bean reads them
  }

  @PostConstruct
  void read() {
    Settings settings = new Settings(config);
    nodeConcurrency = settings.whole("berth.provisioning.node-concurrency", 8, 1, 1000);
    attempts = settings.whole("berth.provisioning.attempts", 5, 1, 100);
    double retrySeconds = settings.decimal("berth.provisioning.retry-seconds", 10, 0.1, 3600);
    backoff =
        new Backoff(Duration.ofMillis(Math.round(1000 * retrySeconds)), Duration.ofMinutes(15));
    reconcileEvery =
        Duration.ofMinutes(settings.whole("berth.provisioning.reconcile-minutes", 10, 1, 10080));
    shutdownTimeout =
        Duration.ofSeconds(settings.whole("berth.provisioning.shutdown-seconds", 60, 1, 86400));
    consoleIdle = Duration.ofMinutes(settings.whole("berth.console.idle-minutes", 15, 1, 1440));
    consoleLimit = settings.whole("berth.console.max-sessions", 20, 1, 1000);
    vmidMin = settings.whole("berth.proxmox.vmid-min", 10000, 100, 999_999_999);
    vmidMax = settings.whole("berth.proxmox.vmid-max", 19999, 100, 999_999_999);
    if (vmidMax < vmidMin) {
      throw new InvalidSetting(
          "berth.proxmox.vmid-max", "must not be below berth.proxmox.vmid-min");
    }
    ledger =
        new Network(
            settings.text("berth.network.bridge", "vmbr0"),
            settings.whole("berth.network.ipv4-prefix", 24, 1, 32),
            settings.text("berth.network.ipv4-gateway", null),
            settings.whole("berth.network.ipv6-prefix", 64, 1, 128),
            settings.text("berth.network.ipv6-gateway", null),
            dns(settings, "berth.network.dns"));
    nat =
        new Network(
            natNetwork.bridge(),
            natNetwork.prefixLength(),
            natNetwork.gateway(),
            0,
            null,
            natNetwork.dns());
  }

  /** IP addresses separated by commas or spaces; empty when not set. */
  private static List<String> dns(Settings settings, String key) {
    List<String> servers = new ArrayList<>();
    for (String s : settings.list(key)) {
      try {
        servers.add(
            s.contains(":") ? Ipv6Address.parse(s).toString() : Ipv4Address.parse(s).toString());
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting(key, "must be IP addresses separated by commas");
      }
    }
    return servers;
  }

  /** How many guests may be created at once on one node, across all Berth instances. */
  public int nodeConcurrency() {
    return nodeConcurrency;
  }

  /** How many times a step is tried in a row before the request fails. */
  public int attempts() {
    return attempts;
  }

  public Backoff backoff() {
    return backoff;
  }

  public Duration reconcileEvery() {
    return reconcileEvery;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** How long a console may go without anything typed before it is closed. */
  public Duration consoleIdle() {
    return consoleIdle;
  }

  /** How many consoles may be open at once on this instance. */
  public int consoleLimit() {
    return consoleLimit;
  }

  public int vmidMin() {
    return vmidMin;
  }

  public int vmidMax() {
    return vmidMax;
  }

  /** The network of guests with a ledger entry. */
  public Network ledger() {
    return ledger;
  }

  /** The internal network of NAT guests. */
  public Network nat() {
    return nat;
  }
}
