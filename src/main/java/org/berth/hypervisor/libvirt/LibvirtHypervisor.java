package org.berth.hypervisor.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.hypervisor.Cluster;
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
 * The libvirt adapter of the hypervisor port. A guest's VMID names its domain ({@code berth-1042})
 * and its volumes in the node's pool ({@code berth-1042-disk.qcow2} or {@code berth-1042-root.raw},
 * and {@code berth-1042-seed.img}); its title is the guest's name. A request's template names
 * volumes in the pool: {@code NAME.raw} (an ext4 root file system, or a whole disk with a boot
 * loader) and, for VMs booted directly, {@code NAME.vmlinuz} and {@code NAME.initrd}, as {@code
 * deploy/libvirt/build-template} makes them.
 */
public class LibvirtHypervisor implements Hypervisor {

  private static final Pattern LIST_LINE =
      Pattern.compile(
          "^\\s*(\\S+)\\s+(\\S+)\\s+(running|idle|paused|in shutdown|shut off|crashed|pmsuspended"
              + "|blocked|dying)\\s*$");
  private static final Pattern BERTH_NAME = Pattern.compile("berth-([1-9]\\d{0,8})");
  private static final Pattern KIB = Pattern.compile("(\\w[\\w ()]*?)\\s*:\\s*(\\d{1,18})( KiB)?");
  private static final Pattern VOLUME_LINE = Pattern.compile("^\\s*(\\S+)\\s+(\\S.*?)\\s*$");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern TEMPLATE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final long GIB = 1024L * 1024 * 1024;
  private static final Pattern SNAPSHOT_NAME = org.berth.hypervisor.Snapshot.NAME;

  private final LibvirtSettings settings;
  private final Map<String, Boolean> kvm = new ConcurrentHashMap<>();

  public LibvirtHypervisor(LibvirtSettings settings) {
    this.settings = settings;
  }

  public LibvirtSettings settings() {
    return settings;
  }

  static String domainName(int vmid) {
    return "berth-" + vmid;
  }

  static String diskVolume(GuestRef ref) {
    return domainName(ref.vmid()) + (ref.type() == GuestType.VM ? "-disk.qcow2" : "-root.raw");
  }

  static String seedVolume(int vmid) {
    return domainName(vmid) + "-seed.img";
  }

  @Override
  public String description() {
    List<String> nodes = new ArrayList<>();
    for (LibvirtNode n : settings.nodes()) {
      nodes.add(
          n.name()
              + " ("
              + n.vmUri()
              + n.containers().map(c -> ", containers " + c).orElse("")
              + ")");
    }
    return "libvirt on " + String.join(", ", nodes) + ", pool " + settings.pool();
  }

  @Override
  public boolean simulated() {
    return false;
  }

  /**
   * A template is the name its volumes share in the pool: {@code debian-12} for {@code
   * debian-12.raw} (and {@code debian-12.vmlinuz}, {@code debian-12.initrd} for VMs booted
   * directly).
   */
  @Override
  public Optional<String> templateProblem(GuestType type, String ref) {
    return TEMPLATE.matcher(ref).matches()
        ? Optional.empty()
        : Optional.of(
            "must be the name of the template's volumes in pool "
                + settings.pool()
                + " without .raw, such as debian-12: letters, digits, '.', '_' and '-', at most"
                + " 100");
  }

  @Override
  public Cluster cluster() {
    List<NodeCapacity> nodes = new ArrayList<>();
    List<GuestStatus> guests = new ArrayList<>();
    for (LibvirtNode node : settings.nodes()) {
      try {
        nodes.add(capacity(node));
        guests.addAll(guests(node, GuestType.VM, virsh(node, node.vmUri(), "VMs")));
        if (node.containers().isPresent()) {
          guests.addAll(
              guests(node, GuestType.CONTAINER, virsh(node, node.containerUri(), "containers")));
        }
      } catch (HypervisorFailure e) {
        if (!e.transientFailure()) {
          throw e;
        }
        nodes.add(new NodeCapacity(node.name(), false, 0, 0, 0, 0, takes(node)));
      }
    }
    return new Cluster(nodes, guests);
  }

  private NodeCapacity capacity(LibvirtNode node) {
    // One virsh process for both: each process costs a connection to libvirt.
    Map<String, Long> values =
        numbers(virsh(node, node.vmUri(), "VMs").run("nodeinfo ; nodememstats"));
    Map<String, Long> info = values;
    Map<String, Long> memory = values;
    long totalKib = memory.getOrDefault("total", info.getOrDefault("Memory size", 0L));
    long availableKib =
        memory.getOrDefault("free", 0L)
            + memory.getOrDefault("buffers", 0L)
            + memory.getOrDefault("cached", 0L);
    return new NodeCapacity(
        node.name(),
        true,
        totalKib / 1024,
        Math.max(0, totalKib - availableKib) / 1024,
        info.getOrDefault("CPU(s)", 0L).intValue(),
        0,
        takes(node));
  }

  private static Set<GuestType> takes(LibvirtNode node) {
    return node.containers().isPresent() ? EnumSet.allOf(GuestType.class) : Set.of(GuestType.VM);
  }

  private static Map<String, Long> numbers(String output) {
    Map<String, Long> values = new java.util.HashMap<>();
    for (String line : output.split("\n")) {
      Matcher m = KIB.matcher(line.strip());
      if (m.matches()) {
        values.put(m.group(1).strip(), Long.parseLong(m.group(2)));
      }
    }
    return values;
  }

  private List<GuestStatus> guests(LibvirtNode node, GuestType type, Virsh v) {
    Map<String, PowerState> states = new java.util.LinkedHashMap<>();
    for (String line : v.run("list", "--all").split("\n")) {
      Matcher m = LIST_LINE.matcher(line);
      if (m.matches()) {
        states.put(m.group(2), power(m.group(3)));
      }
    }
    List<GuestStatus> out = new ArrayList<>();
    // One virsh process reads every domain's XML: names libvirt lists are safe to join.
    List<String> safe =
        states.keySet().stream().filter(n -> SAFE_NAME.matcher(n).matches()).toList();
    if (!safe.isEmpty()) {
      String joined =
          String.join(" ; ", safe.stream().map(n -> "dumpxml --inactive " + n).toList());
      String all = v.run(joined);
      for (String xml : all.split("(?<=</domain>)")) {
        if (xml.isBlank()) {
          continue;
        }
        DomainXml.Read read = DomainXml.read(xml.strip());
        out.add(status(node, type, read, states.getOrDefault(read.name(), PowerState.UNKNOWN)));
      }
    }
    return out;
  }

  private static GuestStatus status(
      LibvirtNode node, GuestType type, DomainXml.Read read, PowerState power) {
    Matcher m = BERTH_NAME.matcher(read.name());
    int vmid = m.matches() ? Integer.parseInt(m.group(1)) : 0;
    return new GuestStatus(
        new GuestRef(type, node.name(), vmid),
        read.title() == null || read.title().isBlank() ? read.name() : read.title(),
        power,
        read.requestId(),
        null,
        false,
        read.memoryMib());
  }

  private static PowerState power(String state) {
    return switch (state) {
      case "running", "idle", "paused", "in shutdown", "blocked", "pmsuspended" ->
          PowerState.RUNNING;
      case "shut off", "crashed", "dying" -> PowerState.STOPPED;
      default -> PowerState.UNKNOWN;
    };
  }

  @Override
  public Optional<GuestStatus> status(GuestRef ref) {
    Virsh v = virsh(ref);
    String name = domainName(ref.vmid());
    String xml;
    try {
      xml = v.run("dumpxml", "--inactive", name);
    } catch (HypervisorFailure e) {
      if (Virsh.notFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
    PowerState power = power(v.run("domstate", name).strip());
    return Optional.of(status(node(ref.node()), ref.type(), DomainXml.read(xml), power));
  }

  @Override
  public void create(GuestSpec spec) {
    Virsh v = virsh(spec.ref());
    Optional<GuestStatus> existing = status(spec.ref());
    if (existing.isPresent()) {
      if (existing.get().carries(spec.requestId())) {
        reserveAddress(spec); // created before a crash, perhaps before the reservation
        return;
      }
      throw new VmidTaken(
          spec.ref().vmid(), "libvirt already has a domain " + domainName(spec.ref().vmid()));
    }
    String pool = settings.pool();
    String template = spec.template() + ".raw";
    Map<String, String> volumes = volumes(v);
    String templatePath = path(volumes, template, spec.ref().node());
    // Volumes of this VMID without a domain were left by a crash before the domain was defined.
    if (volumes.containsKey(diskVolume(spec.ref()))) {
      deleteVolume(v, diskVolume(spec.ref()));
    }
    if (volumes.containsKey(seedVolume(spec.ref().vmid()))) {
      deleteVolume(v, seedVolume(spec.ref().vmid()));
    }
    // Snapshots left by an earlier guest of this VMID are never a new guest's.
    for (SnapshotVolume left : snapshotVolumes(volumes.keySet(), spec.ref().vmid())) {
      deleteVolume(v, left.volume());
    }
    if (spec.ref().type() == GuestType.VM) {
      if (spec.fullClone()) {
        withXml(
            DomainXml.volume(diskVolume(spec.ref()), "qcow2"),
            xml -> v.run("vol-create-from", pool, xml, "--inputpool", pool, template));
        grow(v, spec);
      } else {
        v.run(
            "vol-create-as",
            pool,
            diskVolume(spec.ref()),
            spec.diskGib() + "G",
            "--format",
            "qcow2",
            "--backing-vol",
            templatePath,
            "--backing-vol-format",
            "raw");
      }
    } else {
      withXml(
          DomainXml.volume(diskVolume(spec.ref()), "raw"),
          xml -> v.run("vol-create-from", pool, xml, "--inputpool", pool, template));
    }
    writeSeed(v, spec, false);
    define(v, spec, null);
  }

  @Override
  public void configure(GuestSpec spec) {
    Virsh v = virsh(spec.ref());
    String name = domainName(spec.ref().vmid());
    DomainXml.Read domain = DomainXml.read(v.run("dumpxml", "--inactive", name));
    if (domain.requestId() == null || domain.requestId() != spec.requestId()) {
      throw new HypervisorFailure(
          name + " on " + spec.ref().node() + " is not the guest of request " + spec.requestId(),
          false);
    }
    if (spec.ref().type() == GuestType.VM) {
      grow(v, spec);
    }
    writeSeed(v, spec, volumes(v).containsKey(seedVolume(spec.ref().vmid())));
    define(v, spec, domain.uuid());
  }

  private void define(Virsh v, GuestSpec spec, String uuid) {
    Map<String, String> volumes = volumes(v);
    String disk = path(volumes, diskVolume(spec.ref()), spec.ref().node());
    String seed = path(volumes, seedVolume(spec.ref().vmid()), spec.ref().node());
    String xml;
    if (spec.ref().type() == GuestType.VM) {
      String kernel = volumes.get(spec.template() + ".vmlinuz");
      String initrd = kernel == null ? null : volumes.get(spec.template() + ".initrd");
      xml =
          DomainXml.vm(
              spec,
              settings.pool(),
              new DomainXml.Volumes(disk, seed, kernel, initrd),
              kvm(spec.ref().node(), v),
              uuid);
    } else {
      xml = DomainXml.container(spec, new DomainXml.Volumes(disk, seed, null, null), uuid);
    }
    withXml(xml, file -> v.run("define", file));
    reserveAddress(spec);
  }

  /**
   * The guest's address for its MAC in the node's DHCP network, once its domain exists. Networks
   * are reached through the node's VM connection, which containers' guests share.
   */
  private void reserveAddress(GuestSpec spec) {
    LibvirtNode node = node(spec.ref().node());
    if (node.dhcp().isPresent()) {
      DhcpReservations.reserve(virsh(node, node.vmUri(), "VMs"), node.dhcp().get(), spec);
    }
  }

  /** A VM's disk grows to the requested size; cloud-init grows its file system on first boot. */
  private void grow(Virsh v, GuestSpec spec) {
    long wanted = spec.diskGib() * GIB;
    Map<String, Long> info =
        bytes(v.run("vol-info", "--bytes", "--pool", settings.pool(), diskVolume(spec.ref())));
    if (info.getOrDefault("Capacity", 0L) < wanted) {
      v.run("vol-resize", "--pool", settings.pool(), diskVolume(spec.ref()), spec.diskGib() + "G");
    }
  }

  private static Map<String, Long> bytes(String output) {
    Map<String, Long> values = new java.util.HashMap<>();
    for (String line : output.split("\n")) {
      Matcher m = Pattern.compile("(\\w+):\\s+(\\d{1,18}) bytes").matcher(line.strip());
      if (m.matches()) {
        values.put(m.group(1), Long.parseLong(m.group(2)));
      }
    }
    return values;
  }

  /** Writes the guest's seed into its volume, made first unless {@code exists}. */
  private void writeSeed(Virsh v, GuestSpec spec, boolean exists) {
    String seed = seedVolume(spec.ref().vmid());
    byte[] image = CloudInitSeed.image(spec);
    if (!exists) {
      // Of the seed's largest size, so that a configure with more keys fits the same volume.
      v.run(
          "vol-create-as",
          settings.pool(),
          seed,
          Long.toString(CloudInitSeed.SIZE_BYTES),
          "--format",
          "raw");
    }
    withFile(image, file -> v.run("vol-upload", "--pool", settings.pool(), seed, file));
  }

  @Override
  public void start(GuestRef ref) {
    try {
      virsh(ref).run("start", domainName(ref.vmid()));
    } catch (HypervisorFailure e) {
      if (!e.getMessage().contains("already active")) {
        throw e;
      }
    }
  }

  @Override
  public void shutdown(GuestRef ref, Duration timeout) {
    Virsh v = virsh(ref);
    String name = domainName(ref.vmid());
    if (power(v.run("domstate", name).strip()) != PowerState.RUNNING) {
      return;
    }
    Instant deadline = Instant.now().plus(timeout);
    boolean asked = askToShutDown(v, name);
    while (Instant.now().isBefore(deadline)) {
      if (power(v.run("domstate", name).strip()) != PowerState.RUNNING) {
        return;
      }
      pause(settings.shutdownPoll());
      if (!asked) {
        asked = askToShutDown(v, name);
      }
    }
    stop(ref);
  }

  /**
   * Asks the guest's OS to shut down; false when libvirt cannot pass the request on yet, as its LXC
   * driver cannot while it has not learnt the container's init process (it says "Init process ID is
   * not yet known"): the caller asks again, and stops the guest at its deadline.
   */
  private static boolean askToShutDown(Virsh v, String name) {
    try {
      v.run("shutdown", name);
      return true;
    } catch (HypervisorFailure e) {
      if (e.getMessage().contains("not running")) {
        return true;
      }
      if (e.getMessage().contains("not yet known")) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void stop(GuestRef ref) {
    try {
      virsh(ref).run("destroy", domainName(ref.vmid()));
    } catch (HypervisorFailure e) {
      if (!e.getMessage().contains("not running")) {
        throw e;
      }
    }
  }

  @Override
  public void reboot(GuestRef ref) {
    virsh(ref).run("reboot", domainName(ref.vmid()));
  }

  @Override
  public void delete(GuestRef ref) {
    Virsh v = virsh(ref);
    String name = domainName(ref.vmid());
    Optional<GuestStatus> guest = status(ref);
    // A container's snapshots go while its domain (if it is still there) marks the VMID as taken,
    // so that a failure here is tried again rather than leave them to the VMID's next guest.
    if (ref.type() == GuestType.CONTAINER) {
      for (SnapshotVolume snapshot : snapshotVolumes(volumes(v).keySet(), ref.vmid())) {
        deleteVolume(v, snapshot.volume());
      }
    }
    if (guest.isPresent()) {
      LibvirtNode node = node(ref.node());
      if (node.dhcp().isPresent()) {
        // Before the domain goes: its MAC is how the reservation is found.
        String mac = DomainXml.read(v.run("dumpxml", "--inactive", name)).mac();
        if (mac != null) {
          DhcpReservations.release(virsh(node, node.vmUri(), "VMs"), node.dhcp().get(), mac);
        }
      }
      if (guest.get().power() == PowerState.RUNNING) {
        stop(ref);
      }
      try {
        if (ref.type() == GuestType.VM) {
          // Its snapshots live inside its disk, deleted below; libvirt keeps only their metadata.
          v.run("undefine", name, "--snapshots-metadata");
        } else {
          v.run("undefine", name);
        }
      } catch (HypervisorFailure e) {
        if (!Virsh.notFound(e)) {
          throw e;
        }
      }
    }
    deleteVolume(v, diskVolume(ref));
    deleteVolume(v, seedVolume(ref.vmid()));
  }

  /** A container's file system cannot be frozen through libvirt: its snapshots need it shut off. */
  @Override
  public boolean snapshotsWhileRunning(GuestType type) {
    return type == GuestType.VM;
  }

  /**
   * A VM's snapshots are libvirt's internal qcow2 snapshots, read with one {@code virsh} process. A
   * container's are copies of its root volume, {@code berth-1042-snap-TIME-NAME.raw}, whose name
   * carries when it was taken.
   */
  @Override
  public List<org.berth.hypervisor.Snapshot> snapshots(GuestRef ref) {
    Virsh v = virsh(ref);
    List<org.berth.hypervisor.Snapshot> out = new ArrayList<>();
    if (ref.type() == GuestType.VM) {
      String domain = domainName(ref.vmid());
      List<String> names = new ArrayList<>();
      for (String line : v.run("snapshot-list", domain, "--name").split("\n")) {
        // A snapshot someone made by hand under another kind of name is theirs: not listed.
        if (SNAPSHOT_NAME.matcher(line.strip()).matches()) {
          names.add(line.strip());
        }
      }
      if (names.isEmpty()) {
        return out;
      }
      out.addAll(
          DomainXml.snapshots(
              v.run(
                  String.join(
                      " ; ",
                      names.stream().map(n -> "snapshot-dumpxml " + domain + " " + n).toList()))));
    } else {
      for (SnapshotVolume snapshot : snapshotVolumes(volumes(v).keySet(), ref.vmid())) {
        out.add(new org.berth.hypervisor.Snapshot(snapshot.name(), "", snapshot.taken(), false));
      }
    }
    out.sort(org.berth.hypervisor.Snapshot.OLDEST_FIRST);
    return out;
  }

  /**
   * A VM's snapshot holds its disk and, while it runs, its memory. A container's is a sparse copy
   * of its root volume, taken while it is shut off: libvirt cannot freeze a running container's
   * file system, and a copy of a mounted one may not be whole.
   */
  @Override
  public void snapshot(GuestRef ref, String name, String description) {
    String snapshot = snapshotName(name);
    Virsh v = virsh(ref);
    String domain = domainName(ref.vmid());
    if (ref.type() == GuestType.VM) {
      // The seed is a raw volume, which internal snapshots cannot hold; it never changes anyway.
      List<String> args =
          new ArrayList<>(
              List.of(
                  "snapshot-create-as",
                  "--domain",
                  domain,
                  "--name",
                  snapshot,
                  "--atomic",
                  "--diskspec",
                  "vdb,snapshot=no"));
      if (description != null && !description.isBlank()) {
        args.addAll(List.of("--description", description));
      }
      v.run(args.toArray(String[]::new));
      return;
    }
    requireShutOff(v, ref, "take a snapshot of");
    if (snapshots(ref).stream().anyMatch(s -> s.name().equals(snapshot))) {
      throw new HypervisorFailure("snapshot " + snapshot + " of " + domain + " exists", false);
    }
    String volume = domain + "-snap-" + Instant.now().getEpochSecond() + "-" + snapshot + ".raw";
    withXml(
        DomainXml.volume(volume, "raw"),
        xml ->
            v.run(
                "vol-create-from",
                settings.pool(),
                xml,
                "--inputpool",
                settings.pool(),
                diskVolume(ref)));
  }

  /**
   * A VM returns to the snapshot's disk, and to its memory and running state when it has them. A
   * shut-off container's root volume is replaced by a copy of the snapshot's; when the copy fails
   * half way, rolling back again finishes it.
   */
  @Override
  public void rollback(GuestRef ref, String name) {
    String snapshot = snapshotName(name);
    Virsh v = virsh(ref);
    if (ref.type() == GuestType.VM) {
      v.run("snapshot-revert", domainName(ref.vmid()), snapshot);
      return;
    }
    requireShutOff(v, ref, "roll back");
    String source = containerSnapshotVolume(v, ref, snapshot);
    deleteVolume(v, diskVolume(ref));
    withXml(
        DomainXml.volume(diskVolume(ref), "raw"),
        xml ->
            v.run("vol-create-from", settings.pool(), xml, "--inputpool", settings.pool(), source));
  }

  @Override
  public void deleteSnapshot(GuestRef ref, String name) {
    String snapshot = snapshotName(name);
    Virsh v = virsh(ref);
    if (ref.type() == GuestType.VM) {
      v.run("snapshot-delete", domainName(ref.vmid()), snapshot);
      return;
    }
    deleteVolume(v, containerSnapshotVolume(v, ref, snapshot));
  }

  private String containerSnapshotVolume(Virsh v, GuestRef ref, String snapshot) {
    return snapshotVolumes(volumes(v).keySet(), ref.vmid()).stream()
        .filter(s -> s.name().equals(snapshot))
        .map(SnapshotVolume::volume)
        .findFirst()
        .orElseThrow(
            () ->
                new HypervisorFailure(
                    domainName(ref.vmid()) + " has no snapshot " + snapshot, false));
  }

  /** One {@code domstate}: the job that calls this has read the guest's whole status already. */
  private void requireShutOff(Virsh v, GuestRef ref, String what) {
    String domain = domainName(ref.vmid());
    PowerState power;
    try {
      power = power(v.run("domstate", domain).strip());
    } catch (HypervisorFailure e) {
      if (Virsh.notFound(e)) {
        throw new HypervisorFailure("there is no " + domain, false);
      }
      throw e;
    }
    if (power != PowerState.STOPPED) {
      throw new HypervisorFailure(
          "shut the container down first: Berth can only "
              + what
              + " a container on libvirt while it is shut off",
          false);
    }
  }

  /** A container's snapshot in the pool: its volume, and the snapshot's name and time. */
  private record SnapshotVolume(String volume, String name, Instant taken) {}

  /** {@code berth-1042-snap-1796400000-clean.raw}: VMID, time taken, name. */
  private static final Pattern SNAPSHOT_VOLUME =
      Pattern.compile(
          "berth-([1-9]\\d{0,8})-snap-(\\d{1,12})-("
              + org.berth.hypervisor.Snapshot.NAME_RULE
              + ")\\.raw");

  /** The container snapshots of VMID {@code vmid} among the pool's volume names. */
  private static List<SnapshotVolume> snapshotVolumes(
      java.util.Collection<String> volumes, int vmid) {
    List<SnapshotVolume> out = new ArrayList<>();
    for (String volume : volumes) {
      Matcher m = SNAPSHOT_VOLUME.matcher(volume);
      if (m.matches() && Integer.parseInt(m.group(1)) == vmid) {
        out.add(
            new SnapshotVolume(
                volume, m.group(3), Instant.ofEpochSecond(Long.parseLong(m.group(2)))));
      }
    }
    return out;
  }

  /** A snapshot's name as Berth gives them, and the only kind it passes to {@code virsh}. */
  static String snapshotName(String name) {
    if (name == null || !SNAPSHOT_NAME.matcher(name).matches()) {
      throw new HypervisorFailure("not a snapshot name Berth gives: " + name, false);
    }
    return name;
  }

  /**
   * The guest's console through {@code virsh console}, on the connection of its kind: the serial
   * port of a VM, {@code /dev/console} of a container. Berth's seed makes their gettys log the
   * template's user in by themselves.
   */
  @Override
  public org.berth.hypervisor.GuestConsole console(GuestRef ref) {
    Optional<GuestStatus> guest = status(ref);
    if (guest.isEmpty() || guest.get().power() != PowerState.RUNNING) {
      throw new HypervisorFailure(domainName(ref.vmid()) + " is not running", false);
    }
    LibvirtNode node = node(ref.node());
    String uri = ref.type() == GuestType.VM ? node.vmUri() : node.containerUri();
    return VirshConsole.open(
        settings.virsh(), uri, domainName(ref.vmid()), ref.type() == GuestType.VM);
  }

  private void deleteVolume(Virsh v, String volume) {
    try {
      v.run("vol-delete", "--pool", settings.pool(), volume);
    } catch (HypervisorFailure e) {
      if (!Virsh.notFound(e)) {
        throw e;
      }
    }
  }

  private String path(Map<String, String> volumes, String volume, String node) {
    String path = volumes.get(volume);
    if (path == null) {
      throw new HypervisorFailure(
          "volume " + volume + " is not in pool " + settings.pool() + " on " + node, false);
    }
    return path;
  }

  /**
   * The pool's volumes and their paths, from one {@code vol-list}: one virsh process instead of one
   * per volume, as each costs a connection to libvirt.
   */
  private Map<String, String> volumes(Virsh v) {
    Map<String, String> volumes = new java.util.HashMap<>();
    for (String line : v.run("vol-list", "--pool", settings.pool()).split("\n")) {
      Matcher m = VOLUME_LINE.matcher(line);
      if (m.matches()) {
        volumes.put(m.group(1), m.group(2));
      }
    }
    return volumes;
  }

  /** Whether the node's QEMU has KVM; software emulation (TCG) where it has not. */
  private boolean kvm(String node, Virsh v) {
    return kvm.computeIfAbsent(
        node,
        n -> {
          try {
            v.run("domcapabilities", "--virttype", "kvm");
            return true;
          } catch (HypervisorFailure e) {
            if (e.transientFailure()) {
              throw e;
            }
            return false;
          }
        });
  }

  private Virsh virsh(GuestRef ref) {
    LibvirtNode node = node(ref.node());
    if (ref.type() == GuestType.VM) {
      return virsh(node, node.vmUri(), "VMs");
    }
    return virsh(
        node,
        node.containers()
            .orElseThrow(
                () ->
                    new HypervisorFailure(
                        "node " + node.name() + " takes no containers (no container-uri)", false)),
        "containers");
  }

  private Virsh virsh(LibvirtNode node, String uri, String kind) {
    return new Virsh(
        settings.virsh(), uri, "libvirt on " + node.name() + " (" + kind + ")", settings.timeout());
  }

  private LibvirtNode node(String name) {
    return settings.nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new HypervisorFailure("no libvirt node is named " + name, false));
  }

  private static String withXml(String xml, Function<String, String> call) {
    return withFile(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8), call);
  }

  /**
   * Runs {@code call} with the path of a temporary file holding {@code content}, then deletes it.
   */
  private static String withFile(byte[] content, Function<String, String> call) {
    Path file;
    try {
      file = Files.createTempFile("berth-libvirt-", ".tmp");
      Files.write(file, content);
    } catch (IOException e) {
      throw new HypervisorFailure(
          "cannot write a temporary file for virsh: " + e.getMessage(), false);
    }
    try {
      return call.apply(file.toString());
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // the temporary folder's own clean-up takes it
      }
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HypervisorFailure("interrupted while waiting for a shutdown", true);
    }
  }
}
