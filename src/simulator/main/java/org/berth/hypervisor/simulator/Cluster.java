package org.berth.hypervisor.simulator;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The state of the simulated cluster and the Proxmox operations on it. Every method holds the one
 * lock (this object's monitor) and first finishes the tasks whose end time has passed, so a task's
 * effect happens on time whether or not anyone polls it. The tasks ({@link Tasks}), the injected
 * faults ({@link ArmedFaults}) and the journal of calls ({@link Journal}) are kept apart.
 */
final class Cluster {

  static final long MIB = 1L << 20;
  static final long GIB = 1L << 30;

  static final List<String> CONTAINER_TEMPLATES =
      List.of(
          "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
          "local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz",
          "local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst");

  /** Each node's storages and the content they hold. */
  private static final Map<String, Set<String>> STORAGES =
      Map.of("local", Set.of("backup", "iso", "vztmpl"), "local-lvm", Set.of("images", "rootdir"));

  private static final Pattern DISK_KEY =
      Pattern.compile("(?:scsi|virtio|sata|ide|efidisk|tpmstate)\\d+");
  private static final Pattern NET_KEY = Pattern.compile("net\\d+");
  private static final Set<String> QEMU_NUMBERS =
      Set.of("cores", "sockets", "onboot", "template", "vcpus", "balloon", "numa", "protection");
  private static final Set<String> LXC_NUMBERS =
      Set.of("cores", "memory", "swap", "onboot", "template", "unprivileged", "protection");

  /** The request that is being handled, for faults that make its task fail. */
  record Call(String method, String path) {}

  private final String user;
  private final Duration initialTaskDuration;
  private final Random random = new Random();
  private final long bootNanos = System.nanoTime();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final NavigableMap<Integer, Guest> guests = new TreeMap<>();
  private final Tasks tasks = new Tasks(bootNanos);
  private final ArmedFaults faults = new ArmedFaults();
  private final Journal journal = new Journal();
  private Duration taskDuration;
  private int nextPid;

  Cluster(String user, Duration taskDuration) {
    this.user = user;
    this.initialTaskDuration = taskDuration;
    reset();
  }

  /** Back to three empty nodes and two VM templates; forgets tasks, faults and the journal. */
  synchronized void reset() {
    nodes.clear();
    guests.clear();
    tasks.clear();
    faults.clear();
    journal.clear();
    taskDuration = initialTaskDuration;
    nextPid = 0x2000 + random.nextInt(0x1000);
    addNode("sim1", 64, 16);
    addNode("sim2", 128, 32);
    addNode("sim3", 32, 8);
    addTemplate(9000, "debian-12", "Debian 12 cloud image", "BC:24:11:5E:90:00");
    addTemplate(9001, "ubuntu-24.04", "Ubuntu 24.04 LTS cloud image", "BC:24:11:5E:90:01");
  }

  private void addNode(String name, int memoryGib, int cpus) {
    Node node = new Node(name, memoryGib * GIB, cpus, 2048 * GIB);
    node.bootMillis = System.currentTimeMillis() - Duration.ofDays(3).toMillis();
    nodes.put(name, node);
  }

  private void addTemplate(int vmid, String name, String description, String mac) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("agent", "1");
    c.put("boot", "order=scsi0");
    c.put("cores", "2");
    c.put("cpu", "x86-64-v2-AES");
    c.put("description", description + " (template of the simulated cluster)");
    c.put("ide2", "local-lvm:vm-" + vmid + "-cloudinit,media=cdrom");
    c.put("memory", "2048");
    c.put("name", name);
    c.put("net0", "virtio=" + mac + ",bridge=vmbr0");
    c.put("ostype", "l26");
    c.put("scsi0", "local-lvm:base-" + vmid + "-disk-0,size=3G");
    c.put("scsihw", "virtio-scsi-single");
    c.put("serial0", "socket");
    c.put("sockets", "1");
    c.put("template", "1");
    c.put("vga", "serial0");
    guests.put(vmid, new Guest(vmid, Guest.QEMU, "sim1", c));
  }

  // ---- faults, journal and control -----------------------------------------------------------

  /** Uses up and answers the first fault other than a task failure that matches a request. */
  synchronized Fault takeFault(String method, String path) {
    return take(method, path, false);
  }

  private Fault take(String method, String path, boolean taskFailure) {
    return faults.take(method, path, taskFailure);
  }

  synchronized void inject(Fault fault) {
    faults.inject(fault);
  }

  synchronized void clearFaults() {
    faults.clear();
  }

  synchronized void setOnline(String node, boolean online) {
    Node n = nodes.get(node);
    if (n == null) {
      throw new IllegalArgumentException("node '" + node + "' does not exist");
    }
    if (online && !n.online) {
      n.bootMillis = System.currentTimeMillis();
    }
    n.online = online;
  }

  synchronized void taskDuration(Duration duration) {
    if (duration == null || duration.isNegative()) {
      throw new IllegalArgumentException("taskSeconds must not be negative");
    }
    taskDuration = duration;
  }

  /** Adds a stopped guest that Berth did not create, such as one that takes a VMID. */
  synchronized SimulatedGuest addForeignGuest(int vmid, String node, String type, String name) {
    return addForeignGuest(vmid, node, type, name, List.of());
  }

  /**
   * Adds a stopped guest that Berth did not create, with tags: Berth's tags make a left-over guest
   * that no request accounts for.
   */
  synchronized SimulatedGuest addForeignGuest(
      int vmid, String node, String type, String name, List<String> tags) {
    settle();
    if (vmid < 100 || vmid > 999_999_999) {
      throw new IllegalArgumentException("vmid must be between 100 and 999999999");
    }
    if (!nodes.containsKey(node)) {
      throw new IllegalArgumentException("node '" + node + "' does not exist");
    }
    if (!Guest.QEMU.equals(type) && !Guest.LXC.equals(type)) {
      throw new IllegalArgumentException("type must be qemu or lxc");
    }
    String guestName = name == null || name.isBlank() ? "foreign-" + vmid : name;
    try {
      Formats.dnsName(guestName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("name must be a DNS name");
    }
    Guest existing = guests.get(vmid);
    if (existing != null) {
      throw new IllegalArgumentException(
          "vmid " + vmid + " is taken by " + existing.kind() + " on node '" + existing.node + "'");
    }
    Map<String, String> c = new LinkedHashMap<>();
    c.put("description", "Not managed by Berth (foreign guest of the simulated cluster)");
    if (type.equals(Guest.QEMU)) {
      c.put("cores", "1");
      c.put("memory", "1024");
      c.put("name", guestName);
      c.put("net0", "virtio=" + randomMac() + ",bridge=vmbr0");
      c.put("scsi0", "local-lvm:vm-" + vmid + "-disk-0,size=8G");
      c.put("sockets", "1");
    } else {
      c.put("arch", "amd64");
      c.put("cores", "1");
      c.put("hostname", guestName);
      c.put("memory", "512");
      c.put("net0", "name=eth0,bridge=vmbr0,hwaddr=" + randomMac() + ",ip=dhcp,type=veth");
      c.put("ostype", "debian");
      c.put("rootfs", "local-lvm:vm-" + vmid + "-disk-0,size=4G");
      c.put("swap", "512");
    }
    if (!tags.isEmpty()) {
      String joined = String.join(";", tags);
      Formats.tags(joined);
      c.put("tags", joined);
    }
    Guest guest = new Guest(vmid, type, node, c);
    guests.put(vmid, guest);
    return snapshot(guest);
  }

  synchronized List<SimulatedGuest> guests() {
    settle();
    return guests.values().stream().map(Cluster::snapshot).toList();
  }

  private static SimulatedGuest snapshot(Guest g) {
    return new SimulatedGuest(
        g.vmid,
        g.node,
        g.type,
        g.name(),
        g.status,
        g.lock,
        g.tags(),
        g.template(),
        Collections.unmodifiableMap(new LinkedHashMap<>(g.config)));
  }

  void record(JournalEntry entry) {
    journal.record(entry);
  }

  List<JournalEntry> journal() {
    return journal.entries();
  }

  void clearJournal() {
    journal.clear();
  }

  /** Everything the control API shows: nodes, guests with their config, tasks and faults. */
  synchronized JsonObject state() {
    settle();
    JsonArrayBuilder nodeList = Json.createArrayBuilder();
    nodes.values().forEach(n -> nodeList.add(nodeJson(n).add("bridges", strings(Node.BRIDGES))));
    JsonArrayBuilder guestList = Json.createArrayBuilder();
    guests.values().forEach(g -> guestList.add(guestJson(snapshot(g))));
    return Json.createObjectBuilder()
        .add("simulated", true)
        .add("taskSeconds", taskDuration.toMillis() / 1000.0)
        .add("nodes", nodeList)
        .add("guests", guestList)
        .add("tasks", tasks.json())
        .add("faults", faults.json())
        .build();
  }

  static JsonObjectBuilder guestJson(SimulatedGuest g) {
    JsonObjectBuilder config = Json.createObjectBuilder();
    g.config().forEach(config::add);
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("vmid", g.vmid())
            .add("node", g.node())
            .add("type", g.type())
            .add("name", g.name())
            .add("status", g.status())
            .add("tags", strings(g.tags()))
            .add("template", g.template())
            .add("config", config);
    if (g.lock() != null) {
      b.add("lock", g.lock());
    }
    return b;
  }

  private static JsonArrayBuilder strings(List<String> values) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    values.forEach(array::add);
    return array;
  }

  // ---- tasks ---------------------------------------------------------------------------------

  private void settle() {
    tasks.settle();
  }

  private Task startTask(
      Call call, String node, String type, int id, Supplier<String> work, Runnable undo) {
    Fault failure = take(call.method(), call.path(), true);
    long pstart = (System.nanoTime() - bootNanos) / 10_000_000L + 1_000_000L;
    Task task =
        new Task(
            node,
            nextPid++,
            pstart,
            System.currentTimeMillis() / 1000,
            type,
            String.valueOf(id),
            user,
            System.nanoTime() + taskDuration.toNanos(),
            tasks.nextSequence(),
            work,
            undo,
            failure == null ? null : failure.message());
    tasks.add(task);
    return task;
  }

  synchronized JsonObject taskStatus(String node, String upid) {
    settle();
    return tasks
        .get(node, upid)
        .orElseThrow(() -> ProxmoxError.failed("no such task"))
        .json()
        .build();
  }

  // ---- cluster and nodes ---------------------------------------------------------------------

  /** Refuses requests for a node that does not exist (500) or does not answer (595). */
  synchronized void reachable(String node) {
    Node n = nodes.get(node);
    if (n == null) {
      throw ProxmoxError.failed(
          "hostname lookup '"
              + node
              + "' failed - failed to get address info for: "
              + node
              + ": Name or service not known");
    }
    if (!n.online) {
      throw ProxmoxError.unreachable();
    }
  }

  JsonObject version() {
    return Json.createObjectBuilder()
        .add("version", "8.3.0")
        .add("release", "8.3")
        .add("repoid", "simulated")
        .build();
  }

  synchronized JsonArray resources(String type) {
    settle();
    JsonArrayBuilder out = Json.createArrayBuilder();
    if (type == null || type.equals("node")) {
      nodes.values().forEach(n -> out.add(nodeJson(n)));
    }
    if (type == null || type.equals("vm")) {
      guests.values().forEach(g -> out.add(guestResource(g)));
    }
    if (type == null || type.equals("storage")) {
      for (Node n : nodes.values()) {
        for (String storage : List.of("local", "local-lvm")) {
          out.add(storageResource(n, storage));
        }
      }
    }
    return out.build();
  }

  synchronized JsonArray nodes() {
    settle();
    JsonArrayBuilder out = Json.createArrayBuilder();
    nodes.values().forEach(n -> out.add(nodeJson(n)));
    return out.build();
  }

  private JsonObjectBuilder nodeJson(Node n) {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("id", "node/" + n.name)
            .add("type", "node")
            .add("node", n.name)
            .add("status", n.online ? "online" : "offline")
            .add("level", "")
            .add("maxmem", n.maxmem)
            .add("maxcpu", n.maxcpu)
            .add("maxdisk", n.maxdisk);
    if (n.online) {
      List<Guest> running = guestsOn(n).stream().filter(Guest::running).toList();
      b.add("mem", 2 * GIB + running.stream().mapToLong(Guest::maxmem).sum())
          .add("cpu", Math.min(1.0, 0.01 + 0.02 * running.size()))
          .add("disk", 4 * GIB + guestsOn(n).stream().mapToLong(Guest::maxdisk).sum())
          .add("uptime", (System.currentTimeMillis() - n.bootMillis) / 1000);
    }
    return b;
  }

  private List<Guest> guestsOn(Node n) {
    return guests.values().stream().filter(g -> g.node.equals(n.name)).toList();
  }

  private JsonObjectBuilder guestResource(Guest g) {
    Node host = nodes.get(g.node);
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("id", g.type + "/" + g.vmid)
            .add("type", g.type)
            .add("vmid", g.vmid)
            .add("node", g.node)
            .add("name", g.name())
            .add("status", host.online ? g.status : "unknown")
            .add("template", g.template() ? 1 : 0)
            .add("maxmem", g.maxmem())
            .add("maxcpu", g.maxcpu(host))
            .add("maxdisk", g.maxdisk());
    if (!g.tags().isEmpty()) {
      b.add("tags", String.join(";", g.tags()));
    }
    if (host.online) {
      b.add("mem", g.running() ? g.maxmem() / 2 : 0)
          .add("cpu", g.running() ? 0.02 : 0)
          .add("disk", g.running() && !g.qemu() ? g.maxdisk() / 5 : 0)
          .add("uptime", g.uptime())
          .add("netin", 0)
          .add("netout", 0);
    }
    if (g.lock != null) {
      b.add("lock", g.lock);
    }
    return b;
  }

  private JsonObjectBuilder storageResource(Node n, String storage) {
    boolean lvm = storage.equals("local-lvm");
    return Json.createObjectBuilder()
        .add("id", "storage/" + n.name + "/" + storage)
        .add("type", "storage")
        .add("storage", storage)
        .add("node", n.name)
        .add("status", n.online ? "available" : "unknown")
        .add("plugintype", lvm ? "lvmthin" : "dir")
        .add("content", String.join(",", new TreeSet<>(STORAGES.get(storage))))
        .add("shared", 0)
        .add("maxdisk", lvm ? n.maxdisk : 100 * GIB)
        .add("disk", lvm ? guestsOn(n).stream().mapToLong(Guest::maxdisk).sum() : 12 * GIB);
  }

  synchronized JsonArray storageContent(String node, String storage, String content, String vmid) {
    settle();
    requireStorage(storage, null);
    JsonArrayBuilder out = Json.createArrayBuilder();
    if (storage.equals("local")) {
      if (content == null || content.equals("vztmpl")) {
        for (String template : CONTAINER_TEMPLATES) {
          out.add(
              Json.createObjectBuilder()
                  .add("volid", template)
                  .add("content", "vztmpl")
                  .add("format", template.endsWith(".zst") ? "tzst" : "txz")
                  .add("size", 120 * MIB));
        }
      }
      return out.build();
    }
    for (Guest g : guestsOn(nodes.get(node))) {
      String kind = g.qemu() ? "images" : "rootdir";
      if ((content != null && !content.equals(kind))
          || (vmid != null && !vmid.equals(String.valueOf(g.vmid)))) {
        continue;
      }
      g.config.forEach(
          (key, value) -> {
            boolean disk = g.qemu() ? DISK_KEY.matcher(key).matches() : key.equals("rootfs");
            if (disk && value.startsWith("local-lvm:") && !value.contains("media=cdrom")) {
              String volid = value.split(",", 2)[0];
              out.add(
                  Json.createObjectBuilder()
                      .add("volid", volid)
                      .add("content", kind)
                      .add("format", "raw")
                      .add("vmid", g.vmid)
                      .add("size", new Guest(0, g.type, node, Map.of(key, value)).maxdisk()));
            }
          });
    }
    return out.build();
  }

  private static void requireStorage(String storage, String content) {
    Set<String> contents = STORAGES.get(storage);
    if (contents == null) {
      throw ProxmoxError.failed("storage '" + storage + "' does not exist");
    }
    if (content != null && !contents.contains(content)) {
      throw ProxmoxError.failed(
          "storage '"
              + storage
              + "' does not support "
              + (content.equals("rootdir") ? "container directories" : "vm images"));
    }
  }

  // ---- guests --------------------------------------------------------------------------------

  private Guest guest(String node, String type, int vmid) {
    Guest g = guests.get(vmid);
    if (g == null || !g.node.equals(node) || !g.type.equals(type)) {
      throw missing(node, type, vmid);
    }
    return g;
  }

  private static ProxmoxError missing(String node, String type, int vmid) {
    return ProxmoxError.failed(
        "Configuration file '" + Guest.configFile(node, type, vmid) + "' does not exist");
  }

  /** The error a task reports when its guest went away while it ran; null when it is there. */
  private String gone(Guest g) {
    return guests.get(g.vmid) == g ? null : missing(g.node, g.type, g.vmid).getMessage();
  }

  private static void checkLock(Guest g) {
    if (g.lock != null) {
      throw ProxmoxError.failed(g.kind() + " " + g.vmid + " is locked (" + g.lock + ")");
    }
  }

  private static void refuseSkiplock(Map<String, String> p) {
    if (p.containsKey("skiplock") && Formats.bool(p.get("skiplock"))) {
      throw ProxmoxError.parameter("skiplock", "Only root may use this option.");
    }
  }

  private String randomMac() {
    return String.format(
        "BC:24:11:%02X:%02X:%02X", random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  synchronized String cloneVm(Call call, String node, int vmid, Map<String, String> p) {
    settle();
    Guest source = guest(node, Guest.QEMU, vmid);
    int newid = Integer.parseInt(p.get("newid"));
    String target = p.getOrDefault("target", node);
    boolean full = p.containsKey("full") ? Formats.bool(p.get("full")) : !source.template();
    if (!full) {
      Map<String, String> problems = new LinkedHashMap<>();
      if (!source.template()) {
        problems.put(
            "full",
            "linked clone feature is not supported for VM " + vmid + ": it is not a template");
      }
      if (p.containsKey("storage")) {
        problems.put("storage", "parameter 'storage' not allowed for linked clones");
      }
      if (p.containsKey("format")) {
        problems.put("format", "parameter 'format' not allowed for linked clones");
      }
      if (!problems.isEmpty()) {
        throw ProxmoxError.parameters(problems);
      }
    }
    Node targetNode = nodes.get(target);
    if (targetNode == null) {
      throw ProxmoxError.failed("no such cluster node '" + target + "'");
    }
    if (!targetNode.online) {
      throw ProxmoxError.failed("target node '" + target + "' is not online");
    }
    if (p.containsKey("storage")) {
      requireStorage(p.get("storage"), "images");
    }
    if (p.containsKey("snapname")) {
      throw ProxmoxError.failed("snapshot '" + p.get("snapname") + "' does not exist");
    }
    checkLock(source);
    if (guests.containsKey(newid)) {
      throw ProxmoxError.failed("unable to create VM " + newid + ": config file already exists");
    }
    Guest copy = new Guest(newid, Guest.QEMU, target, cloneConfig(source, newid, p, full));
    copy.lock = "clone";
    guests.put(newid, copy);
    return startTask(
            call,
            node,
            "qmclone",
            vmid,
            () -> {
              copy.lock = null;
              return null;
            },
            () -> guests.remove(newid, copy))
        .upid;
  }

  private Map<String, String> cloneConfig(
      Guest source, int newid, Map<String, String> p, boolean full) {
    Map<String, String> c = new LinkedHashMap<>();
    int disk = 0;
    for (Map.Entry<String, String> e : source.config.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (key.equals("template")) {
        continue;
      }
      if (NET_KEY.matcher(key).matches()) {
        Map<String, String> net = Formats.qemuNet(value);
        net.put("macaddr", randomMac());
        value = Formats.printQemuNet(net);
      } else if (DISK_KEY.matcher(key).matches()) {
        value = cloneDisk(value, newid, full, p.get("storage"), disk);
        if (!value.contains("media=cdrom")) {
          disk++;
        }
      }
      c.put(key, value);
    }
    c.put("name", p.containsKey("name") ? p.get("name") : "Copy-of-VM-" + source.name());
    if (p.containsKey("description")) {
      c.put("description", p.get("description"));
    }
    return c;
  }

  private static String cloneDisk(
      String value, int newid, boolean full, String storage, int index) {
    int comma = value.indexOf(',');
    String volume = comma < 0 ? value : value.substring(0, comma);
    String options = comma < 0 ? "" : value.substring(comma);
    int colon = volume.indexOf(':');
    if (colon < 0) {
      return value;
    }
    String store = volume.substring(0, colon);
    String name = volume.substring(colon + 1);
    if (name.contains("cloudinit")) {
      return store + ":vm-" + newid + "-cloudinit" + options;
    }
    if (options.contains("media=cdrom")) {
      return value;
    }
    if (full) {
      return (storage != null ? storage : store) + ":vm-" + newid + "-disk-" + index + options;
    }
    return store + ":" + name + "/vm-" + newid + "-disk-" + index + options;
  }

  synchronized JsonObject config(String node, String type, int vmid) {
    settle();
    Guest g = guest(node, type, vmid);
    Set<String> numbers = g.qemu() ? QEMU_NUMBERS : LXC_NUMBERS;
    JsonObjectBuilder b = Json.createObjectBuilder();
    g.config.forEach(
        (key, value) -> {
          if (key.equals("cipassword")) {
            b.add(key, "**********");
          } else if (numbers.contains(key) && value.matches("-?\\d{1,18}")) {
            b.add(key, Long.parseLong(value));
          } else {
            b.add(key, value);
          }
        });
    if (g.lock != null) {
      b.add("lock", g.lock);
    }
    return b.add("digest", g.digest()).build();
  }

  /**
   * Changes a guest's config: at once ({@code PUT}, answers null) or when a {@code qmconfig} task
   * ends ({@code POST}, answers the UPID).
   */
  synchronized String updateConfig(
      Call call, String node, String type, int vmid, Map<String, String> p, boolean async) {
    settle();
    Guest g = guest(node, type, vmid);
    refuseSkiplock(p);
    Map<String, String> changes = changes(g, p);
    List<String> deletions =
        p.containsKey("delete") ? Formats.configIdList(p.get("delete")) : List.of();
    for (String key : deletions) {
      if (changes.containsKey(key)) {
        throw ProxmoxError.parameter(
            "delete", "you can't use '-" + key + "' and '-delete " + key + "' at the same time");
      }
    }
    if (changes.isEmpty() && deletions.isEmpty()) {
      throw ProxmoxError.failed("no options specified");
    }
    checkLock(g);
    String digest = p.get("digest");
    if (digest != null && !digest.equalsIgnoreCase(g.digest())) {
      throw ProxmoxError.failed(
          "detected modified configuration - file changed by other user? Try again.");
    }
    if (!async) {
      apply(g, changes, deletions);
      return null;
    }
    return startTask(
            call,
            node,
            "qmconfig",
            vmid,
            () -> {
              String gone = gone(g);
              if (gone == null) {
                apply(g, changes, deletions);
              }
              return gone;
            },
            () -> {})
        .upid;
  }

  private Map<String, String> changes(Guest g, Map<String, String> p) {
    Map<String, String> set = new LinkedHashMap<>();
    p.forEach(
        (key, value) -> {
          switch (key) {
            case "node", "vmid", "digest", "delete", "skiplock" -> {}
            case "onboot" -> set.put(key, Formats.boolText(value));
            case "cores", "sockets", "swap" -> set.put(key, String.valueOf(Long.parseLong(value)));
            case "tags" -> set.put(key, String.join(";", Formats.tags(value)));
            case "memory" ->
                set.put(
                    key,
                    String.valueOf(g.qemu() ? Formats.qemuMemory(value) : Long.parseLong(value)));
            default -> {
              if (NET_KEY.matcher(key).matches()) {
                set.put(key, g.qemu() ? qemuNet(g, key, value) : lxcNet(g, key, value));
              } else {
                set.put(key, value);
              }
            }
          }
        });
    return set;
  }

  /** A VM's network device; without a MAC it keeps the device's old one or gets a new one. */
  private String qemuNet(Guest g, String key, String value) {
    Map<String, String> net = Formats.qemuNet(value);
    if (!net.containsKey("macaddr")) {
      String old = g == null ? null : g.config.get(key);
      String mac = old == null ? null : Formats.qemuNet(old).get("macaddr");
      net.put("macaddr", mac != null ? mac : randomMac());
    }
    return Formats.printQemuNet(net);
  }

  private String lxcNet(Guest g, String key, String value) {
    Map<String, String> net = Formats.lxcNet(value);
    if (!net.containsKey("hwaddr")) {
      String old = g == null ? null : g.config.get(key);
      String mac = old == null ? null : Formats.lxcNet(old).get("hwaddr");
      net.put("hwaddr", mac != null ? mac : randomMac());
    }
    net.putIfAbsent("type", "veth");
    return Formats.printLxcNet(net);
  }

  private static void apply(Guest g, Map<String, String> changes, List<String> deletions) {
    deletions.forEach(g.config::remove);
    changes.forEach(
        (key, value) -> {
          if (key.equals("tags") && value.isEmpty()) {
            g.config.remove(key);
          } else {
            g.config.put(key, value);
          }
        });
  }

  synchronized JsonObject currentStatus(String node, String type, int vmid) {
    settle();
    Guest g = guest(node, type, vmid);
    Node host = nodes.get(node);
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("vmid", g.vmid)
            .add("name", g.name())
            .add("status", g.status)
            .add("uptime", g.uptime())
            .add("mem", g.running() ? g.maxmem() / 2 : 0)
            .add("maxmem", g.maxmem())
            .add("cpu", g.running() ? 0.02 : 0)
            .add("cpus", g.maxcpu(host))
            .add("disk", g.running() && !g.qemu() ? g.maxdisk() / 5 : 0)
            .add("maxdisk", g.maxdisk())
            .add("ha", Json.createObjectBuilder().add("managed", 0));
    if (g.qemu()) {
      b.add("qmpstatus", g.status);
      if (g.config.containsKey("agent")) {
        b.add("agent", g.config.get("agent").startsWith("1") ? 1 : 0);
      }
    } else {
      b.add("type", "lxc")
          .add("maxswap", Long.parseLong(g.config.getOrDefault("swap", "512")) * MIB)
          .add("swap", 0);
    }
    if (!g.tags().isEmpty()) {
      b.add("tags", String.join(";", g.tags()));
    }
    if (g.template()) {
      b.add("template", 1);
    }
    if (g.lock != null) {
      b.add("lock", g.lock);
    }
    return b.build();
  }

  /** Starts a {@code start}, {@code shutdown}, {@code stop} or {@code reboot} task. */
  synchronized String changeStatus(
      Call call, String node, String type, int vmid, String action, Map<String, String> p) {
    settle();
    Guest g = guest(node, type, vmid);
    refuseSkiplock(p);
    checkLock(g);
    Supplier<String> work =
        switch (action) {
          case "start" -> {
            if (g.template()) {
              throw ProxmoxError.failed(
                  g.qemu()
                      ? "you can't start a vm if it's a template"
                      : "you can't start a CT if it's a template");
            }
            yield () -> start(g);
          }
          case "shutdown", "stop" ->
              () -> {
                String gone = gone(g);
                if (gone == null) {
                  g.status = "stopped";
                }
                return gone;
              };
          case "reboot" ->
              () -> {
                String gone = gone(g);
                if (gone != null) {
                  return gone;
                }
                if (!g.running()) {
                  return g.kind() + " " + g.vmid + " not running";
                }
                g.startedMillis = System.currentTimeMillis();
                return null;
              };
          default -> throw new IllegalArgumentException(action);
        };
    return startTask(call, node, (g.qemu() ? "qm" : "vz") + action, vmid, work, () -> {}).upid;
  }

  private String start(Guest g) {
    String gone = gone(g);
    if (gone != null) {
      return gone;
    }
    if (g.running()) {
      return g.kind() + " " + g.vmid + " already running";
    }
    for (Map.Entry<String, String> e : g.config.entrySet()) {
      if (NET_KEY.matcher(e.getKey()).matches()) {
        Map<String, String> net =
            g.qemu() ? Formats.qemuNet(e.getValue()) : Formats.lxcNet(e.getValue());
        String bridge = net.get("bridge");
        if (bridge != null && !Node.BRIDGES.contains(bridge)) {
          return "bridge '" + bridge + "' does not exist";
        }
      }
    }
    g.status = "running";
    g.startedMillis = System.currentTimeMillis();
    return null;
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /**
   * A guest's snapshots as Proxmox lists them: each with its parent, and the present state as the
   * entry {@code current}, whose parent is the latest snapshot.
   */
  /**
   * Checks that {@code termproxy} can open a terminal on a guest: it exists there and runs, and a
   * VM has the serial port asked for (none asked: the QEMU monitor).
   */
  synchronized void checkConsole(String node, String type, int vmid, String serial) {
    settle();
    Guest g = guest(node, type, vmid);
    if (!g.running()) {
      throw ProxmoxError.failed(g.kind() + " " + vmid + " not running");
    }
    if (serial != null && !g.config.containsKey(serial)) {
      throw ProxmoxError.failed("VM " + vmid + " has no " + serial + " (add one: serial0: socket)");
    }
  }

  /** The host name a running guest's terminal shows; null when it no longer runs there. */
  synchronized String consoleName(String node, String type, int vmid) {
    return consoleAlive(node, type, vmid) ? guests.get(vmid).name() : null;
  }

  /** Whether a terminal on the guest may stay open: it is there, runs, and its node answers. */
  synchronized boolean consoleAlive(String node, String type, int vmid) {
    settle();
    Guest g = guests.get(vmid);
    Node n = nodes.get(node);
    return g != null
        && g.node.equals(node)
        && g.type.equals(type)
        && g.running()
        && n != null
        && n.online;
  }

  synchronized JsonArray snapshots(String node, String type, int vmid) {
    settle();
    Guest g = guest(node, type, vmid);
    JsonArrayBuilder out = Json.createArrayBuilder();
    String parent = null;
    for (Guest.Snapshot snap : g.snapshots.values()) {
      JsonObjectBuilder o =
          Json.createObjectBuilder()
              .add("name", snap.name())
              .add("description", snap.description())
              .add("snaptime", snap.snaptime());
      if (g.qemu()) {
        o.add("vmstate", snap.vmstate() ? 1 : 0);
      }
      if (parent != null) {
        o.add("parent", parent);
      }
      out.add(o);
      parent = snap.name();
    }
    JsonObjectBuilder current =
        Json.createObjectBuilder()
            .add("name", "current")
            .add("description", "You are here!")
            .add("running", g.running() ? 1 : 0);
    if (parent != null) {
      current.add("parent", parent);
    }
    return out.add(current).build();
  }

  /** Takes a snapshot; a running VM's keeps its memory when {@code vmstate} is set. */
  synchronized String takeSnapshot(
      Call call, String node, String type, int vmid, Map<String, String> p) {
    settle();
    Guest g = guest(node, type, vmid);
    checkLock(g);
    String name = p.get("snapname");
    if (name.equals("current") || name.equals("vzdump")) {
      throw ProxmoxError.failed("invalid snapshot name '" + name + "'");
    }
    if (g.snapshots.containsKey(name)) {
      throw ProxmoxError.failed("snapshot name '" + name + "' already used");
    }
    if (g.template()) {
      throw ProxmoxError.failed("you can't take a snapshot if it's a template");
    }
    boolean vmstate = g.qemu() && Formats.bool(p.getOrDefault("vmstate", "0")) && g.running();
    String description = p.getOrDefault("description", "");
    g.lock = "snapshot";
    return startTask(
            call,
            node,
            g.qemu() ? "qmsnapshot" : "vzsnapshot",
            vmid,
            () -> {
              g.lock = null;
              String gone = gone(g);
              if (gone == null) {
                g.snapshots.put(
                    name,
                    new Guest.Snapshot(
                        name,
                        description,
                        System.currentTimeMillis() / 1000,
                        vmstate,
                        new LinkedHashMap<>(g.config)));
              }
              return gone;
            },
            () -> g.lock = null)
        .upid;
  }

  /**
   * Returns the guest to a snapshot: its config as it was, and running only when the snapshot kept
   * the VM's memory (or {@code start} asks); snapshots taken after it stay.
   */
  synchronized String rollback(
      Call call, String node, String type, int vmid, String name, Map<String, String> p) {
    settle();
    Guest g = guest(node, type, vmid);
    checkLock(g);
    Guest.Snapshot snap = g.snapshots.get(name);
    if (snap == null) {
      throw ProxmoxError.failed("snapshot '" + name + "' does not exist");
    }
    boolean start = Formats.bool(p.getOrDefault("start", "0"));
    g.lock = "rollback";
    return startTask(
            call,
            node,
            g.qemu() ? "qmrollback" : "vzrollback",
            vmid,
            () -> {
              g.lock = null;
              String gone = gone(g);
              if (gone == null) {
                g.config.clear();
                g.config.putAll(snap.config());
                boolean running = snap.vmstate() || start;
                g.status = running ? "running" : "stopped";
                if (running) {
                  g.startedMillis = System.currentTimeMillis();
                }
              }
              return gone;
            },
            () -> g.lock = null)
        .upid;
  }

  synchronized String deleteSnapshot(
      Call call, String node, String type, int vmid, String name, Map<String, String> p) {
    settle();
    Guest g = guest(node, type, vmid);
    checkLock(g);
    if (!g.snapshots.containsKey(name)) {
      throw ProxmoxError.failed("snapshot '" + name + "' does not exist");
    }
    return startTask(
            call,
            node,
            g.qemu() ? "qmdelsnapshot" : "vzdelsnapshot",
            vmid,
            () -> {
              String gone = gone(g);
              if (gone == null) {
                g.snapshots.remove(name);
              }
              return gone;
            },
            () -> {})
        .upid;
  }

  /**
   * Changes a guest's config at once, as someone working on the guest or the cluster directly
   * might: what a snapshot's rollback must undo. False when there is no such guest.
   */
  synchronized boolean editConfig(int vmid, Map<String, String> changes) {
    settle();
    Guest g = guests.get(vmid);
    if (g == null) {
      return false;
    }
    g.config.putAll(changes);
    return true;
  }

  /**
   * Sets or clears (null) a guest's lock, as a backup or migration outside Berth would hold it;
   * false when there is no such guest.
   */
  synchronized boolean setLock(int vmid, String lock) {
    settle();
    Guest g = guests.get(vmid);
    if (g == null) {
      return false;
    }
    g.lock = lock;
    return true;
  }

  /** Removes a guest at once, as someone working on the cluster directly might. */
  synchronized boolean removeGuest(int vmid) {
    settle();
    return guests.remove(vmid) != null;
  }

  /**
   * Grows a VM disk to {@code size} ({@code 40G}, or {@code +8G} to add), in a task; Proxmox
   * refuses to shrink disks.
   */
  synchronized String resize(Call call, String node, int vmid, Map<String, String> p) {
    settle();
    Guest g = guest(node, Guest.QEMU, vmid);
    refuseSkiplock(p);
    checkLock(g);
    String disk = p.get("disk");
    String volume = g.config.get(disk);
    if (volume == null) {
      throw ProxmoxError.failed("disk '" + disk + "' does not exist");
    }
    java.util.regex.Matcher size =
        java.util.regex.Pattern.compile("(\\+)?(\\d+(?:\\.\\d+)?)([KMGT])?").matcher(p.get("size"));
    if (!size.matches()) {
      throw ProxmoxError.parameter("size", "value does not match the regex pattern");
    }
    double current = gib(volume);
    double asked = toGib(Double.parseDouble(size.group(2)), size.group(3));
    double target = size.group(1) != null ? current + asked : asked;
    if (target < current) {
      throw ProxmoxError.failed("shrinking disks is not supported");
    }
    return startTask(
            call,
            node,
            "qmresize",
            vmid,
            () -> {
              String gone = gone(g);
              if (gone != null) {
                return gone;
              }
              String grown =
                  volume.replaceAll("(^|,)size=[^,]*", "$1size=" + formatGib(target) + "G");
              g.config.put(
                  disk,
                  grown.contains("size=") ? grown : grown + ",size=" + formatGib(target) + "G");
              return null;
            },
            () -> {})
        .upid;
  }

  private static double gib(String volume) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?:^|,)size=(\\d+(?:\\.\\d+)?)([KMGT])?").matcher(volume);
    return m.find() ? toGib(Double.parseDouble(m.group(1)), m.group(2)) : 0;
  }

  private static double toGib(double n, String unit) {
    if (unit == null) {
      return n / (1024.0 * 1024 * 1024);
    }
    return switch (unit) {
      case "K" -> n / (1024.0 * 1024);
      case "M" -> n / 1024.0;
      case "T" -> n * 1024;
      default -> n;
    };
  }

  private static String formatGib(double gib) {
    return gib == Math.rint(gib) ? String.valueOf((long) gib) : String.valueOf(gib);
  }

  synchronized String destroy(
      Call call, String node, String type, int vmid, Map<String, String> p) {
    settle();
    Guest g = guest(node, type, vmid);
    refuseSkiplock(p);
    checkLock(g);
    boolean force = p.containsKey("force") && Formats.bool(p.get("force"));
    return startTask(
            call,
            node,
            (g.qemu() ? "qm" : "vz") + "destroy",
            vmid,
            () -> {
              String gone = gone(g);
              if (gone != null) {
                return gone;
              }
              if (g.running() && !force) {
                return g.kind() + " " + vmid + " is running - destroy failed";
              }
              guests.remove(vmid);
              return null;
            },
            () -> {})
        .upid;
  }

  synchronized String createContainer(Call call, String node, Map<String, String> p) {
    settle();
    int vmid = Integer.parseInt(p.get("vmid"));
    Guest existing = guests.get(vmid);
    if (existing != null) {
      throw ProxmoxError.failed(
          existing.kind() + " " + vmid + " already exists on node '" + existing.node + "'");
    }
    String ostemplate = p.get("ostemplate");
    if (!CONTAINER_TEMPLATES.contains(ostemplate)) {
      throw ProxmoxError.failed("volume '" + ostemplate + "' does not exist");
    }
    String storage = p.getOrDefault("storage", "local-lvm");
    Map<String, String> rootfs = Formats.rootfs(p.getOrDefault("rootfs", storage + ":4"));
    String volume = rootfs.remove("volume");
    String store = volume.substring(0, volume.indexOf(':'));
    requireStorage(store, "rootdir");
    if (Formats.newVolume(volume)) {
      double gib = Double.parseDouble(volume.substring(volume.indexOf(':') + 1));
      rootfs.put("size", gib == Math.rint(gib) ? (long) gib + "G" : (long) (gib * 1024) + "M");
      volume = store + ":vm-" + vmid + "-disk-0";
    }
    StringBuilder rootfsValue = new StringBuilder(volume);
    new TreeMap<>(rootfs)
        .forEach((k, v) -> rootfsValue.append(',').append(k).append('=').append(v));

    Map<String, String> c = new LinkedHashMap<>();
    c.put("arch", "amd64");
    copy(p, c, "cores", "description", "features");
    c.put("hostname", p.getOrDefault("hostname", "CT" + vmid));
    c.put("memory", p.getOrDefault("memory", "512"));
    copy(p, c, "nameserver");
    new TreeMap<>(p)
        .forEach(
            (key, value) -> {
              if (NET_KEY.matcher(key).matches()) {
                c.put(key, lxcNet(null, key, value));
              }
            });
    if (p.containsKey("onboot")) {
      c.put("onboot", Formats.boolText(p.get("onboot")));
    }
    String os = ostemplate.substring(ostemplate.indexOf('/') + 1);
    c.put("ostype", os.substring(0, os.indexOf('-')));
    c.put("rootfs", rootfsValue.toString());
    copy(p, c, "searchdomain");
    c.put("swap", p.getOrDefault("swap", "512"));
    if (p.containsKey("tags") && !Formats.tags(p.get("tags")).isEmpty()) {
      c.put("tags", String.join(";", Formats.tags(p.get("tags"))));
    }
    if (p.containsKey("unprivileged")) {
      c.put("unprivileged", Formats.boolText(p.get("unprivileged")));
    }
    Guest g = new Guest(vmid, Guest.LXC, node, c);
    g.lock = "create";
    guests.put(vmid, g);
    boolean start = p.containsKey("start") && Formats.bool(p.get("start"));
    return startTask(
            call,
            node,
            "vzcreate",
            vmid,
            () -> {
              String gone = gone(g);
              if (gone != null) {
                return gone;
              }
              g.lock = null;
              return start ? start(g) : null;
            },
            () -> guests.remove(vmid, g))
        .upid;
  }

  private static void copy(Map<String, String> from, Map<String, String> to, String... keys) {
    for (String key : keys) {
      if (from.containsKey(key)) {
        to.put(key, from.get(key));
      }
    }
  }
}
