package org.berth.hypervisor.setup;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.MeteredHypervisor;
import org.berth.hypervisor.libvirt.LibvirtHypervisor;
import org.berth.hypervisor.libvirt.LibvirtNode;
import org.berth.hypervisor.libvirt.LibvirtSettings;
import org.berth.hypervisor.proxmox.ProxmoxHypervisor;
import org.berth.hypervisor.proxmox.ProxmoxSettings;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Mode;
import org.berth.platform.config.Settings;
import org.eclipse.microprofile.config.Config;

/**
 * Chooses the hypervisor of this instance, as {@link Mode} decided: the Proxmox VE cluster at
 * {@code berth.proxmox.url}, the libvirt hosts of {@code berth.libvirt.nodes}, or the simulated
 * Proxmox VE cluster (the demo's default when no cluster is set, elsewhere only with {@code
 * berth.hypervisor=simulated}), which Berth starts on loopback from the simulator's jar (see {@link
 * SimulatedCluster}) and talks to through the same Proxmox adapter, with a token made up at
 * start-up. An instance that refuses to start has none.
 */
@ApplicationScoped
public class Hypervisors {

  private static final Logger LOG = Logger.getLogger(Hypervisors.class.getName());

  @Inject Config config;
  @Inject Mode mode;
  @Inject MeterRegistry registry;

  private Settings settings;
  private ProxmoxHypervisor proxmox;
  private LibvirtHypervisor libvirt;
  private Hypervisor metered;
  private SimulatedCluster simulator;

  /** Starts with the application, so that the simulated cluster is there from the start. */
  void atStart(@Observes @Initialized(ApplicationScoped.class) Object start) {
    LOG.log(Level.FINE, "Hypervisor: {0}", proxmox == null ? "none" : proxmox.settings().url());
  }

  /** The user the simulated cluster's terminals are opened as; its password is made up. */
  static final String SIMULATED_CONSOLE_USER = "berth-console@pve";

  @PostConstruct
  void connect() {
    settings = new Settings(config);
    Optional<Mode.HypervisorKind> kind = mode.hypervisor();
    if (kind.isEmpty()) {
      return; // this instance refuses to start; Mode has said why
    }
    Optional<String> url = text("berth.proxmox.url");
    if (kind.get() == Mode.HypervisorKind.LIBVIRT) {
      libvirt = new LibvirtHypervisor(libvirtSettings());
      LOG.log(Level.INFO, "Hypervisor: {0}", libvirt.description());
      return;
    }
    if (kind.get() == Mode.HypervisorKind.SIMULATED) {
      String secret = UUID.randomUUID().toString();
      String consolePassword = UUID.randomUUID().toString();
      int port = settings.whole("berth.simulator.port", 8006, 0, 65535);
      double taskSeconds = settings.decimal("berth.simulator.task-seconds", 1, 0, 3600);
      simulator =
          SimulatedCluster.start(
              port,
              "berth@pve!berth",
              secret,
              SIMULATED_CONSOLE_USER,
              consolePassword,
              Duration.ofMillis(Math.round(1000 * taskSeconds)));
      proxmox =
          new ProxmoxHypervisor(
              settings(
                  simulator.url(),
                  "berth@pve!berth",
                  secret,
                  SIMULATED_CONSOLE_USER,
                  consolePassword));
      LOG.log(
          Level.WARNING,
          "Guests are created on the SIMULATED Proxmox VE cluster at {0}, not on a real"
              + " hypervisor ({1})",
          new Object[] {
            simulator.url(),
            mode.isDemo() && url.isEmpty()
                ? "the demo without berth.proxmox.url"
                : "berth.hypervisor=simulated"
          });
      return;
    }
    URI uri = settings.httpUrl("berth.proxmox.url", "https://pve1:8006").orElseThrow();
    String tokenId =
        text("berth.proxmox.token-id")
            .orElseThrow(
                () ->
                    new InvalidSetting(
                        "berth.proxmox.token-id", "must be set (USER@REALM!TOKENID)"));
    if (!tokenId.matches("[^\\s@!=]+@[^\\s@!=]+![^\\s@!=]+")) {
      throw new InvalidSetting("berth.proxmox.token-id", "must look like USER@REALM!TOKENID");
    }
    String secret =
        text("berth.proxmox.token-secret")
            .orElseThrow(() -> new InvalidSetting("berth.proxmox.token-secret", "must be set"));
    String consoleUser = text("berth.proxmox.console-user").orElse(null);
    String consolePassword = text("berth.proxmox.console-password").orElse(null);
    if (consoleUser != null && !consoleUser.matches("[^\\s@!=:]+@[^\\s@!=:]+")) {
      throw new InvalidSetting(
          "berth.proxmox.console-user",
          "must look like USER@REALM, a user that signs in with a password (no API token: Proxmox"
              + " refuses terminals opened with tokens)");
    }
    if (consoleUser != null && consolePassword == null) {
      throw new InvalidSetting(
          "berth.proxmox.console-password", "must be set with berth.proxmox.console-user");
    }
    if (consoleUser == null && consolePassword != null) {
      throw new InvalidSetting(
          "berth.proxmox.console-user", "must be set with berth.proxmox.console-password");
    }
    proxmox = new ProxmoxHypervisor(settings(uri, tokenId, secret, consoleUser, consolePassword));
    LOG.log(
        Level.INFO,
        "Hypervisor: Proxmox VE at {0} with token {1}; consoles {2}",
        new Object[] {uri, tokenId, consoleUser == null ? "off" : "opened as " + consoleUser});
  }

  private ProxmoxSettings settings(
      URI url, String tokenId, String secret, String consoleUser, String consolePassword) {
    Path ca = settings.readableFile("berth.proxmox.ca-file").orElse(null);
    return new ProxmoxSettings(
        url,
        tokenId,
        secret,
        ca,
        text("berth.proxmox.fingerprint").orElse(null),
        Duration.ofSeconds(settings.whole("berth.proxmox.connect-timeout-seconds", 5, 1, 3600)),
        Duration.ofSeconds(settings.whole("berth.proxmox.read-timeout-seconds", 30, 1, 3600)),
        Duration.ofSeconds(settings.whole("berth.proxmox.task-timeout-seconds", 900, 1, 86400)),
        Duration.ofMillis(500),
        text("berth.proxmox.storage").orElse("local-lvm"),
        consoleUser,
        consolePassword);
  }

  private LibvirtSettings libvirtSettings() {
    List<LibvirtNode> nodes = new ArrayList<>();
    for (String name : settings.list("berth.libvirt.nodes")) {
      if (!name.matches("[a-z0-9][a-z0-9.-]{0,62}")) {
        throw new InvalidSetting(
            "berth.libvirt.nodes",
            "'" + name + "' is no node name (lower-case letters, digits, '.' and '-')");
      }
      String prefix = "berth.libvirt.node." + name + ".";
      String vmUri =
          text(prefix + "vm-uri")
              .orElseThrow(
                  () ->
                      new InvalidSetting(
                          prefix + "vm-uri",
                          "must be set: the node's libvirt connection for VMs, such as"
                              + " qemu+ssh://berth@"
                              + name
                              + "/system"));
      nodes.add(
          new LibvirtNode(
              name,
              uri(prefix + "vm-uri", vmUri, "qemu"),
              text(prefix + "container-uri")
                  .map(u -> uri(prefix + "container-uri", u, "lxc"))
                  .orElse(null),
              text(prefix + "dhcp-network")
                  .map(n -> network(prefix + "dhcp-network", n))
                  .orElse(null)));
    }
    if (nodes.isEmpty()) {
      throw new InvalidSetting("berth.libvirt.nodes", "must name at least one libvirt host");
    }
    String pool = text("berth.libvirt.pool").orElse("berth");
    if (!pool.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new InvalidSetting("berth.libvirt.pool", "must be a storage pool's name");
    }
    return new LibvirtSettings(
        nodes,
        pool,
        text("berth.libvirt.virsh").orElse("/usr/bin/virsh"),
        Duration.ofSeconds(settings.whole("berth.libvirt.timeout-seconds", 600, 1, 86400)),
        Duration.ofSeconds(1));
  }

  private static String network(String key, String value) {
    if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new InvalidSetting(
          key, "must be a libvirt network's name: letters, digits, '.', '_' and '-', at most 64");
    }
    return value;
  }

  /** A libvirt connection URI of the driver expected ({@code qemu}, {@code lxc}). */
  private static String uri(String key, String value, String driver) {
    if (!value.matches(driver + "(\\+(ssh|libssh|libssh2|tls|tcp|unix))?://[^\\s]*")) {
      throw new InvalidSetting(
          key,
          "must be a libvirt URI of the "
              + driver
              + " driver, such as "
              + driver
              + (driver.equals("qemu") ? ":///system" : ":///"));
    }
    return value;
  }

  private Optional<String> text(String key) {
    return settings.text(key);
  }

  /** The hypervisor, its calls timed (see {@link MeteredHypervisor}); null when there is none. */
  @Produces
  synchronized Hypervisor hypervisor() {
    if (metered == null && libvirt != null) {
      metered = new MeteredHypervisor(libvirt, kind(), registry);
    } else if (metered == null && proxmox != null) {
      metered = new MeteredHypervisor(proxmox, kind(), registry);
    }
    return metered;
  }

  /**
   * The kind of hypervisor, as metrics label it: {@code libvirt}, or {@code proxmox}, for the
   * simulated cluster too, which Berth speaks to through the same adapter.
   */
  public String kind() {
    return libvirt != null ? "libvirt" : "proxmox";
  }

  /** Whether guests are simulated: pages say so everywhere. */
  public boolean isSimulated() {
    return simulator != null;
  }

  @PreDestroy
  void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
