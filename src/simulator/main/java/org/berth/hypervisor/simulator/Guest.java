package org.berth.hypervisor.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A VM ({@code qemu}) or container ({@code lxc}) of the simulated cluster, with its config. */
final class Guest {

  static final String QEMU = "qemu";
  static final String LXC = "lxc";

  private static final Pattern DISK_KEY =
      Pattern.compile("(?:scsi|virtio|sata|ide|efidisk|tpmstate)\\d+");
  private static final Pattern SIZE = Pattern.compile("(?:^|,)size=([^,]+)");

  final int vmid;
  final String type;
  final String node;
  final Map<String, String> config;
  String status = "stopped";

  /** A snapshot: the config as it was, and the running state when it kept the VM's memory. */
  record Snapshot(
      String name,
      String description,
      long snaptime,
      boolean vmstate,
      Map<String, String> config) {}

  /** The guest's snapshots in the order taken; the last is the parent of the present state. */
  final Map<String, Snapshot> snapshots = new LinkedHashMap<>();

  String lock;
  long startedMillis;

  Guest(int vmid, String type, String node, Map<String, String> config) {
    this.vmid = vmid;
    this.type = type;
    this.node = node;
    this.config = new LinkedHashMap<>(config);
  }

  boolean qemu() {
    return type.equals(QEMU);
  }

  /** How Proxmox names the kind in messages: {@code VM} or {@code CT}. */
  String kind() {
    return qemu() ? "VM" : "CT";
  }

  String name() {
    String name = config.get(qemu() ? "name" : "hostname");
    return name != null ? name : (qemu() ? "VM " : "CT") + vmid;
  }

  boolean template() {
    return "1".equals(config.get("template"));
  }

  boolean running() {
    return status.equals("running");
  }

  List<String> tags() {
    String tags = config.get("tags");
    return tags == null || tags.isEmpty() ? List.of() : List.of(tags.split(";"));
  }

  long maxmem() {
    String memory = config.get("memory");
    return (memory == null ? 512 : Long.parseLong(memory)) * Cluster.MIB;
  }

  int maxcpu(Node host) {
    if (qemu()) {
      return Integer.parseInt(config.getOrDefault("cores", "1"))
          * Integer.parseInt(config.getOrDefault("sockets", "1"));
    }
    String cores = config.get("cores");
    return cores == null ? host.maxcpu : Integer.parseInt(cores);
  }

  long maxdisk() {
    long total = 0;
    for (Map.Entry<String, String> e : config.entrySet()) {
      boolean disk =
          qemu()
              ? DISK_KEY.matcher(e.getKey()).matches() && !e.getValue().contains("media=cdrom")
              : e.getKey().equals("rootfs");
      if (disk) {
        Matcher size = SIZE.matcher(e.getValue());
        if (size.find()) {
          total += Formats.diskSize(size.group(1));
        }
      }
    }
    return total;
  }

  long uptime() {
    return running() ? (System.currentTimeMillis() - startedMillis) / 1000 : 0;
  }

  /** The path of the guest's config file in the cluster file system, as messages show it. */
  static String configFile(String node, String type, int vmid) {
    return "nodes/" + node + (type.equals(QEMU) ? "/qemu-server/" : "/lxc/") + vmid + ".conf";
  }

  /** The SHA-1 of the config as written, which clients pass back as {@code digest}. */
  String digest() {
    StringBuilder text = new StringBuilder();
    config.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
    if (lock != null) {
      text.append("lock: ").append(lock).append('\n');
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
