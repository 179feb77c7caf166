package org.berth.hypervisor.proxmox;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestConsole;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.NodeCapacity;
import org.berth.hypervisor.PowerState;
import org.berth.hypervisor.VmidTaken;

/**
 * The Proxmox VE adapter. VMs are cloned from a template VM (full or linked), then configured in
 * one call: {@code net0=virtio=<MAC>,bridge=<bridge>} with the MAC always explicit, {@code
 * ipconfig0}, {@code ciuser}, URL-encoded {@code sshkeys}, name, tags and description; the boot
 * disk is grown to the requested size. Containers are created from an OS template in one call with
 * {@code net0} carrying {@code hwaddr} and {@code ip}. Guests carry the tags {@code berth} and
 * {@code berth-request-<id>}, and a line naming the request in their description.
 */
public class ProxmoxHypervisor implements Hypervisor {

  private static final long MIB = 1024L * 1024L;
  private static final Pattern REQUEST_TAG = Pattern.compile("berth-request-(\\d+)");
  private static final Pattern REQUEST_MARK = Pattern.compile("berth-request-id: (\\d+)");
  private static final Pattern DISK_SIZE =
      Pattern.compile("(?:^|,)size=(\\d+(?:\\.\\d+)?)([KMGT]?)");
  private static final List<String> BOOT_DISKS = List.of("scsi0", "virtio0", "sata0", "ide0");

  private final ProxmoxSettings settings;
  private final ProxmoxClient client;
  private volatile String release;
  private ProxmoxClient.SignIn signIn;

  public ProxmoxHypervisor(ProxmoxSettings settings) {
    this.settings = settings;
    this.client = new ProxmoxClient(settings);
  }

  public ProxmoxSettings settings() {
    return settings;
  }

  /** A VM's template is the template VM's VMID; a container's, an {@code ostemplate} volume. */
  @Override
  public Optional<String> templateProblem(GuestType type, String ref) {
    if (type == GuestType.VM && !ref.matches("[1-9][0-9]{2,8}")) {
      return Optional.of("must be the template's VMID, a number from 100 to 999999999");
    }
    if (type == GuestType.CONTAINER && !ref.matches("[A-Za-z0-9._-]+:vztmpl/[A-Za-z0-9._+-]+")) {
      return Optional.of(
          "must be an ostemplate volume such as local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
    }
    return Optional.empty();
  }

  @Override
  public String description() {
    String where = " at " + settings.url();
    try {
      return (simulated() ? "Simulated Proxmox VE cluster" : "Proxmox VE " + version()) + where;
    } catch (HypervisorFailure e) {
      return "Proxmox VE (unreachable)" + where;
    }
  }

  /** Asks the cluster once; its kind does not change while Berth runs. */
  @Override
  public boolean simulated() {
    if (release == null) {
      version();
    }
    return "simulated".equals(release);
  }

  private String version() {
    JsonObject v = client.get("/version").asJsonObject();
    release = v.getString("repoid", "");
    return v.getString("version", "?");
  }

  @Override
  public Cluster cluster() {
    List<NodeCapacity> nodes = new ArrayList<>();
    List<GuestStatus> guests = new ArrayList<>();
    for (JsonValue item : client.get("/cluster/resources").asJsonArray()) {
      JsonObject r = item.asJsonObject();
      switch (r.getString("type", "")) {
        case "node" ->
            nodes.add(
                new NodeCapacity(
                    r.getString("node"),
                    "online".equals(r.getString("status", "")),
                    number(r, "maxmem") / MIB,
                    number(r, "mem") / MIB,
                    (int) number(r, "maxcpu"),
                    r.get("cpu") instanceof JsonNumber n ? n.doubleValue() : 0));
        case "qemu", "lxc" -> guests.add(guest(r));
        default -> {}
      }
    }
    nodes.sort(java.util.Comparator.comparing(NodeCapacity::name));
    return new Cluster(List.copyOf(nodes), List.copyOf(guests));
  }

  private static GuestStatus guest(JsonObject r) {
    GuestType type = "lxc".equals(r.getString("type")) ? GuestType.CONTAINER : GuestType.VM;
    return new GuestStatus(
        new GuestRef(type, r.getString("node"), (int) number(r, "vmid")),
        r.getString("name", ""),
        power(r.getString("status", "")),
        requestOf(r.getString("tags", ""), null),
        r.getString("lock", null),
        number(r, "template") == 1,
        number(r, "maxmem") / MIB);
  }

  @Override
  public Optional<GuestStatus> status(GuestRef ref) {
    JsonObject current;
    try {
      current = client.get(path(ref) + "/status/current").asJsonObject();
    } catch (ProxmoxClient.DoesNotExist e) {
      return Optional.empty();
    }
    Long request = requestOf(current.getString("tags", ""), null);
    if (request == null) {
      // A clone that has not been configured yet carries the mark in its description only.
      JsonObject config = client.get(path(ref) + "/config").asJsonObject();
      request = requestOf(null, config.getString("description", ""));
    }
    return Optional.of(
        new GuestStatus(
            ref,
            current.getString("name", ""),
            power(current.getString("status", "")),
            request,
            current.getString("lock", null),
            number(current, "template") == 1,
            number(current, "maxmem") / MIB));
  }

  @Override
  public void create(GuestSpec spec) {
    try {
      if (spec.ref().type() == GuestType.VM) {
        cloneVm(spec);
      } else {
        createContainer(spec);
      }
    } catch (ProxmoxClient.AlreadyExists e) {
      throw new VmidTaken(spec.ref().vmid(), e.getMessage());
    }
  }

  private void cloneVm(GuestSpec spec) {
    int template = templateVmid(spec.template());
    GuestStatus source =
        cluster()
            .guest(template)
            .filter(GuestStatus::template)
            .orElseThrow(
                () ->
                    new HypervisorFailure(
                        "the cluster has no VM template " + template + "; ask an admin", false));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("newid", String.valueOf(spec.ref().vmid()));
    form.put("name", spec.name());
    form.put("description", spec.description());
    form.put("full", spec.fullClone() ? "1" : "0");
    if (!source.ref().node().equals(spec.ref().node())) {
      form.put("target", spec.ref().node());
    }
    client.awaitTask(
        client.post("/nodes/" + source.ref().node() + "/qemu/" + template + "/clone", form),
        "clone of template " + template + " to VM " + spec.ref().vmid());
  }

  private static int templateVmid(String template) {
    try {
      return Integer.parseInt(template.strip());
    } catch (NumberFormatException e) {
      throw new HypervisorFailure(
          "the template reference '" + template + "' is not a VM template id", false);
    }
  }

  private void createContainer(GuestSpec spec) {
    GuestRef ref = spec.ref();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("vmid", String.valueOf(ref.vmid()));
    form.put("ostemplate", spec.template());
    form.put("hostname", spec.name());
    form.put("cores", String.valueOf(spec.cores()));
    form.put("memory", String.valueOf(spec.memoryMib()));
    form.put("swap", "0");
    form.put("rootfs", settings.storage() + ":" + spec.diskGib());
    form.put("net0", containerNet(spec));
    form.put("ssh-public-keys", String.join("\n", spec.sshKeys()) + "\n");
    nameservers(spec, form);
    form.put("unprivileged", "1");
    form.put("description", spec.description());
    form.put("tags", tags(spec));
    client.awaitTask(
        client.post("/nodes/" + ref.node() + "/lxc", form), "creation of container " + ref.vmid());
  }

  @Override
  public void configure(GuestSpec spec) {
    GuestRef ref = spec.ref();
    Map<String, String> form = new LinkedHashMap<>();
    if (ref.type() == GuestType.VM) {
      form.put("name", spec.name());
      form.put("cores", String.valueOf(spec.cores()));
      form.put("memory", String.valueOf(spec.memoryMib()));
      form.put("net0", "virtio=" + spec.mac() + ",bridge=" + spec.bridge());
      String ipconfig = ipconfig(spec);
      if (!ipconfig.isEmpty()) {
        form.put("ipconfig0", ipconfig);
      }
      if (spec.user() != null && !spec.user().isBlank()) {
        form.put("ciuser", spec.user());
      }
      form.put("sshkeys", ProxmoxClient.percentEncode(String.join("\n", spec.sshKeys()) + "\n"));
    } else {
      form.put("hostname", spec.name());
      form.put("cores", String.valueOf(spec.cores()));
      form.put("memory", String.valueOf(spec.memoryMib()));
      form.put("net0", containerNet(spec));
    }
    nameservers(spec, form);
    form.put("tags", tags(spec));
    form.put("description", spec.description());
    client.put(path(ref) + "/config", form);
    if (ref.type() == GuestType.VM) {
      growBootDisk(spec);
    }
  }

  /** Grows the VM's boot disk to the requested size; disks are never shrunk. */
  private void growBootDisk(GuestSpec spec) {
    JsonObject config = client.get(path(spec.ref()) + "/config").asJsonObject();
    for (String disk : BOOT_DISKS) {
      if (config.get(disk) instanceof JsonString value) {
        double gib = sizeGib(value.getString());
        if (gib >= 0 && gib < spec.diskGib()) {
          client.awaitTask(
              client.put(
                  path(spec.ref()) + "/resize", Map.of("disk", disk, "size", spec.diskGib() + "G")),
              "growing disk " + disk + " of VM " + spec.ref().vmid());
        }
        return;
      }
    }
  }

  static double sizeGib(String disk) {
    Matcher m = DISK_SIZE.matcher(disk);
    if (!m.find()) {
      return -1;
    }
    double n = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "T" -> n * 1024;
      case "G" -> n;
      case "M" -> n / 1024;
      case "K" -> n / (1024 * 1024);
      default -> n / (1024.0 * 1024 * 1024);
    };
  }

  /** The guest's DNS servers (cloud-init for VMs), if the network names any. */
  private static void nameservers(GuestSpec spec, Map<String, String> form) {
    if (!spec.nameservers().isEmpty()) {
      form.put("nameserver", String.join(" ", spec.nameservers()));
    }
  }

  private static String containerNet(GuestSpec spec) {
    StringBuilder net =
        new StringBuilder("name=eth0,bridge=")
            .append(spec.bridge())
            .append(",hwaddr=")
            .append(spec.mac());
    net.append(",ip=").append(spec.ipv4() == null ? "manual" : spec.ipv4());
    if (spec.gateway4() != null && spec.ipv4() != null && !"dhcp".equals(spec.ipv4())) {
      net.append(",gw=").append(spec.gateway4());
    }
    if (spec.ipv6() != null) {
      net.append(",ip6=").append(spec.ipv6());
      if (spec.gateway6() != null && spec.ipv6().contains("/")) {
        net.append(",gw6=").append(spec.gateway6());
      }
    }
    return net.toString();
  }

  private static String ipconfig(GuestSpec spec) {
    List<String> parts = new ArrayList<>();
    if (spec.ipv4() != null) {
      parts.add("ip=" + spec.ipv4());
      if (spec.gateway4() != null && spec.ipv4().contains("/")) {
        parts.add("gw=" + spec.gateway4());
      }
    }
    if (spec.ipv6() != null) {
      parts.add("ip6=" + spec.ipv6());
      if (spec.gateway6() != null && spec.ipv6().contains("/")) {
        parts.add("gw6=" + spec.gateway6());
      }
    }
    return String.join(",", parts);
  }

  private static String tags(GuestSpec spec) {
    return GuestSpec.TAG + ";" + GuestSpec.requestTag(spec.requestId());
  }

  @Override
  public void start(GuestRef ref) {
    client.awaitTask(client.post(path(ref) + "/status/start", Map.of()), "start of " + ref);
  }

  @Override
  public void shutdown(GuestRef ref, Duration timeout) {
    client.awaitTask(
        client.post(
            path(ref) + "/status/shutdown",
            Map.of("timeout", String.valueOf(timeout.toSeconds()), "forceStop", "1")),
        "shutdown of " + ref);
  }

  @Override
  public void stop(GuestRef ref) {
    client.awaitTask(client.post(path(ref) + "/status/stop", Map.of()), "stop of " + ref);
  }

  @Override
  public void reboot(GuestRef ref) {
    client.awaitTask(client.post(path(ref) + "/status/reboot", Map.of()), "reboot of " + ref);
  }

  @Override
  public void delete(GuestRef ref) {
    client.awaitTask(
        client.delete(path(ref), Map.of("purge", "1", "destroy-unreferenced-disks", "1")),
        "deletion of " + ref);
  }

  /** Proxmox lists the guest's present state as a snapshot named {@code current}; it is not one. */
  @Override
  public java.util.List<org.berth.hypervisor.Snapshot> snapshots(GuestRef ref) {
    java.util.List<org.berth.hypervisor.Snapshot> out = new java.util.ArrayList<>();
    for (JsonValue item : client.get(path(ref) + "/snapshot").asJsonArray()) {
      JsonObject o = item.asJsonObject();
      String name = o.getString("name", "");
      if (name.isEmpty() || name.equals("current")) {
        continue;
      }
      long snaptime = number(o, "snaptime");
      out.add(
          new org.berth.hypervisor.Snapshot(
              name,
              o.getString("description", "").strip(),
              snaptime == 0 ? null : java.time.Instant.ofEpochSecond(snaptime),
              number(o, "vmstate") == 1));
    }
    out.sort(org.berth.hypervisor.Snapshot.OLDEST_FIRST);
    return out;
  }

  /** A running VM's snapshot keeps its memory ({@code vmstate}); containers cannot. */
  @Override
  public void snapshot(GuestRef ref, String name, String description) {
    Map<String, String> form = new java.util.LinkedHashMap<>();
    form.put("snapname", snapshotName(name));
    if (description != null && !description.isBlank()) {
      form.put("description", description);
    }
    if (ref.type() == GuestType.VM) {
      form.put("vmstate", "1");
    }
    client.awaitTask(client.post(path(ref) + "/snapshot", form), "snapshot of " + ref);
  }

  @Override
  public void rollback(GuestRef ref, String name) {
    client.awaitTask(
        client.post(path(ref) + "/snapshot/" + snapshotName(name) + "/rollback", Map.of()),
        "rollback of " + ref + " to " + name);
  }

  @Override
  public void deleteSnapshot(GuestRef ref, String name) {
    client.awaitTask(
        client.delete(path(ref) + "/snapshot/" + snapshotName(name), Map.of()),
        "deletion of snapshot " + name + " of " + ref);
  }

  /** A snapshot's name as it goes into a path: Proxmox's {@code pve-configid}, nothing else. */
  private static String snapshotName(String name) {
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_-]{1,39}")) {
      throw new HypervisorFailure("not a snapshot name Proxmox VE takes: " + name, false);
    }
    return name;
  }

  private static String path(GuestRef ref) {
    return "/nodes/" + ref.node() + (ref.type() == GuestType.VM ? "/qemu/" : "/lxc/") + ref.vmid();
  }

  private static PowerState power(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "running" -> PowerState.RUNNING;
      case "stopped" -> PowerState.STOPPED;
      default -> PowerState.UNKNOWN;
    };
  }

  static Long requestOf(String tags, String description) {
    if (tags != null) {
      for (String tag : tags.split("[;,\\s]+")) {
        Matcher m = REQUEST_TAG.matcher(tag.strip());
        if (m.matches()) {
          return Long.parseLong(m.group(1));
        }
      }
    }
    if (description != null) {
      Matcher m = REQUEST_MARK.matcher(description);
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
    }
    return null;
  }

  private static long number(JsonObject o, String key) {
    JsonValue v = o.get(key);
    if (v instanceof JsonNumber n) {
      return n.longValue();
    }
    if (v instanceof JsonString s) {
      try {
        return (long) Double.parseDouble(s.getString());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  @Override
  public boolean offersConsoles() {
    return settings.consoles();
  }

  /**
   * A terminal through {@code termproxy}: a VM's first serial port ({@code serial0}, which its
   * template must have), a container's console. Proxmox refuses terminals opened with an API token
   * at {@code vncwebsocket}, so they are opened as the console user, signed in with its password;
   * the sign-in is kept for {@link ProxmoxClient#SIGN_IN_USE} and renewed once when refused.
   */
  @Override
  public GuestConsole console(GuestRef ref) {
    if (!settings.consoles()) {
      throw new HypervisorFailure(
          "this Berth opens no Proxmox VE consoles: berth.proxmox.console-user is not set", false);
    }
    Map<String, String> form = Map.of();
    if (ref.type() == GuestType.VM) {
      JsonObject config = client.get(path(ref) + "/config").asJsonObject();
      if (!config.containsKey("serial0")) {
        throw new HypervisorFailure(
            "the VM has no serial port for a terminal; its template needs serial0: socket", false);
      }
      form = Map.of("serial", "serial0");
    }
    ProxmoxClient.SignIn as = signedIn(false);
    JsonObject terminal;
    try {
      terminal = client.post(path(ref) + "/termproxy", form, as).asJsonObject();
    } catch (HypervisorFailure refused) {
      if (!refused.getMessage().contains("console user")) {
        throw refused;
      }
      as = signedIn(true); // the ticket may have ended early, as after a restart of Proxmox
      terminal = client.post(path(ref) + "/termproxy", form, as).asJsonObject();
    }
    return ProxmoxConsole.open(
        client, as, path(ref), terminal, settings.connectTimeout(), ref.toString());
  }

  private synchronized ProxmoxClient.SignIn signedIn(boolean again) {
    ProxmoxClient.SignIn s = signIn;
    if (again || s == null || java.time.Instant.now().isAfter(s.renew())) {
      s = client.signIn();
      signIn = s;
    }
    return s;
  }
}
