package org.berth.platform.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The one switch between the demo and production, and what a production instance needs before it
 * may start.
 *
 * <p>{@code berth.demo=true} (set by {@code mvn -Pdemo}) turns on the built-in accounts, HTTP Basic
 * with passwords, the demo templates and, when no hypervisor is configured, the simulated cluster.
 * Without it Berth needs an identity provider ({@code berth.oidc.issuer}), the ledger's remote
 * ({@code berth.ledger.remote}) and a hypervisor ({@code berth.proxmox.url}, or the simulated
 * cluster chosen on purpose with {@code berth.hypervisor=simulated}); when any is missing, {@link
 * #refusals()} names each, the database is not even opened, readiness stays DOWN and every request
 * is answered 503.
 */
@ApplicationScoped
public class Mode {

  /** The hypervisor an instance uses. */
  public enum HypervisorKind {
    PROXMOX,
    LIBVIRT,
    SIMULATED
  }

  @Inject Config config;

  private boolean demo;
  private HypervisorKind hypervisor;
  private Settings settings;
  private List<InvalidSetting> refusals = List.of();

  @PostConstruct
  void read() {
    settings = new Settings(config);
    List<InvalidSetting> missing = new ArrayList<>();
    try {
      demo = flag("berth.demo");
    } catch (InvalidSetting e) {
      refusals = List.of(e);
      return;
    }
    try {
      hypervisor = hypervisorKind();
    } catch (InvalidSetting e) {
      missing.add(e);
    }
    if (!demo && text("berth.oidc.issuer").isEmpty()) {
      missing.add(
          new InvalidSetting(
              "berth.oidc.issuer",
              "must name the identity provider (berth.demo=true is the only way to run without"
                  + " one)"));
    } else if (!demo
        && text("berth.oidc.client-secret").isEmpty()
        && text("berth.oidc.client-secret-file").isEmpty()) {
      missing.add(
          new InvalidSetting(
              "berth.oidc.client-secret",
              "must be set (or berth.oidc.client-secret-file) with berth.oidc.issuer"));
    }
    if (!demo && text("berth.ledger.remote").isEmpty()) {
      missing.add(
          new InvalidSetting(
              "berth.ledger.remote",
              "must name the ledger's Git repository (only the demo makes one from"
                  + " ipam-seed)"));
    }
    refusals = List.copyOf(missing);
  }

  private HypervisorKind hypervisorKind() {
    Optional<String> chosen = text("berth.hypervisor");
    boolean proxmoxUrl = text("berth.proxmox.url").isPresent();
    if (chosen.isPresent()) {
      return switch (chosen.get()) {
        case "proxmox" -> {
          if (!proxmoxUrl) {
            throw new InvalidSetting(
                "berth.proxmox.url", "must be set when berth.hypervisor is proxmox");
          }
          yield HypervisorKind.PROXMOX;
        }
        case "libvirt" -> {
          if (text("berth.libvirt.nodes").isEmpty()) {
            throw new InvalidSetting(
                "berth.libvirt.nodes",
                "must name the libvirt hosts when berth.hypervisor is libvirt");
          }
          yield HypervisorKind.LIBVIRT;
        }
        case "simulated" -> HypervisorKind.SIMULATED;
        default ->
            throw new InvalidSetting("berth.hypervisor", "must be proxmox, libvirt or simulated");
      };
    }
    if (proxmoxUrl) {
      return HypervisorKind.PROXMOX;
    }
    if (demo) {
      return HypervisorKind.SIMULATED;
    }
    throw new InvalidSetting(
        "berth.proxmox.url",
        "must be set outside the demo (or choose the simulated cluster on purpose with"
            + " berth.hypervisor=simulated)");
  }

  /** Whether this is the demo, with its built-in accounts and conveniences. */
  public boolean isDemo() {
    return demo;
  }

  /** The hypervisor of this instance; empty when the instance refuses to start. */
  public Optional<HypervisorKind> hypervisor() {
    return refusals.isEmpty() ? Optional.ofNullable(hypervisor) : Optional.empty();
  }

  /** Why this instance refuses to start: the first missing or invalid setting, by name. */
  public Optional<InvalidSetting> refusal() {
    return refusals.stream().findFirst();
  }

  /**
   * Every missing or invalid setting that makes this instance refuse to start, so that an operator
   * learns them all from one start; empty when it starts.
   */
  public List<InvalidSetting> refusals() {
    return refusals;
  }

  private boolean flag(String key) {
    return settings.flag(key, false);
  }

  private Optional<String> text(String key) {
    return settings.text(key);
  }
}
