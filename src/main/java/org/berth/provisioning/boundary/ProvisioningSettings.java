package org.berth.provisioning.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.berth.access.control.NatNetwork;
import org.berth.ledger.control.IpAddresses;
import org.berth.platform.config.InvalidSetting;
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
  private int vmidMin;
  private int vmidMax;
  private Network ledger;
  private Network nat;

  @PostConstruct
  void read() {
    nodeConcurrency = positive("berth.provisioning.node-concurrency", 8);
    attempts = positive("berth.provisioning.attempts", 5);
    double retrySeconds =
        config.getOptionalValue("berth.provisioning.retry-seconds", Double.class).orElse(10.0);
    if (!(retrySeconds >= 0.1 && retrySeconds <= 3600)) {
      throw new InvalidSetting("berth.provisioning.retry-seconds", "must be from 0.1 to 3600");
    }
    backoff =
        new Backoff(Duration.ofMillis(Math.round(1000 * retrySeconds)), Duration.ofMinutes(15));
    reconcileEvery = Duration.ofMinutes(positive("berth.provisioning.reconcile-minutes", 10));
    shutdownTimeout = Duration.ofSeconds(positive("berth.provisioning.shutdown-seconds", 60));
    vmidMin = positive("berth.proxmox.vmid-min", 10000);
    vmidMax = positive("berth.proxmox.vmid-max", 19999);
    if (vmidMin < 100 || vmidMax < vmidMin || vmidMax > 999_999_999) {
      throw new InvalidSetting(
          "berth.proxmox.vmid-min/vmid-max", "must be a range within 100..999999999");
    }
    ledger =
        new Network(
            string("berth.network.bridge").orElse("vmbr0"),
            prefix("berth.network.ipv4-prefix", 24, 32),
            string("berth.network.ipv4-gateway").orElse(null),
            prefix("berth.network.ipv6-prefix", 64, 128),
            string("berth.network.ipv6-gateway").orElse(null),
            dns("berth.network.dns"));
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
  private List<String> dns(String key) {
    List<String> servers = new ArrayList<>();
    for (String s : string(key).map(v -> v.split("[,\\s]+")).orElse(new String[0])) {
      if (s.isEmpty()) {
        continue;
      }
      try {
        servers.add(s.contains(":") ? IpAddresses.ipv6(s) : IpAddresses.ipv4(s));
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting(key, "must be IP addresses separated by commas");
      }
    }
    return servers;
  }

  private int positive(String key, int fallback) {
    int value = config.getOptionalValue(key, Integer.class).orElse(fallback);
    if (value < 1) {
      throw new InvalidSetting(key, "must be at least 1");
    }
    return value;
  }

  private int prefix(String key, int fallback, int max) {
    int value = config.getOptionalValue(key, Integer.class).orElse(fallback);
    if (value < 1 || value > max) {
      throw new InvalidSetting(key, "must be a prefix length from 1 to " + max);
    }
    return value;
  }

  private Optional<String> string(String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
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
