package org.berth.hypervisor.simulator;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Proxmox's value formats as the simulated cluster checks them: numbers, booleans, names,
 * addresses, SSH keys and the {@code key=value,...} property strings of network devices and disks.
 * Each parser throws {@link IllegalArgumentException} with wording close to Proxmox's.
 */
final class Formats {

  static final List<String> NIC_MODELS =
      List.of(
          "e1000",
          "e1000-82540em",
          "e1000-82544gc",
          "e1000-82545em",
          "e1000e",
          "i82551",
          "i82557b",
          "i82559er",
          "ne2k_isa",
          "ne2k_pci",
          "pcnet",
          "rtl8139",
          "virtio",
          "vmxnet3");

  static final Set<String> SSH_KEY_TYPES =
      Set.of(
          "ssh-ed25519",
          "ssh-rsa",
          "ecdsa-sha2-nistp256",
          "ecdsa-sha2-nistp384",
          "ecdsa-sha2-nistp521",
          "sk-ssh-ed25519@openssh.com",
          "sk-ecdsa-sha2-nistp256@openssh.com");

  private static final String LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?";
  private static final Pattern DNS_NAME = Pattern.compile("(?:" + LABEL + "\\.)*" + LABEL);
  private static final Pattern NODE = Pattern.compile(LABEL);
  private static final Pattern STORAGE_ID = Pattern.compile("[a-zA-Z][a-zA-Z0-9\\-_.]*[a-zA-Z0-9]");
  private static final Pattern POOL_ID = Pattern.compile("[A-Za-z0-9_\\-]+");
  private static final Pattern CONFIG_ID = Pattern.compile("[a-zA-Z][a-zA-Z0-9_\\-]+");
  private static final Pattern TAG =
      Pattern.compile("[a-z0-9_][a-z0-9_\\-+.]*", Pattern.CASE_INSENSITIVE);
  private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}");
  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final Pattern BRIDGE = Pattern.compile("[-_.\\w]+");
  private static final Pattern INTERFACE_NAME = Pattern.compile("[-_.\\w]+");
  private static final Pattern TRUNKS = Pattern.compile("\\d+(?:-\\d+)?(?:;\\d+(?:-\\d+)?)*");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final Pattern DISK_SIZE = Pattern.compile("\\d+(?:\\.\\d+)?[KMGT]?");
  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9._\\-/]+");
  private static final Pattern URLENCODED = Pattern.compile("[-%a-zA-Z0-9_.!~*'()]*");
  private static final Pattern LIST_SEPARATOR = Pattern.compile("[,; ]+");

  private Formats() {}

  static long integer(String value, long min, long max) {
    if (value == null || !value.matches("[+-]?\\d{1,18}")) {
      throw new IllegalArgumentException("type check ('integer') failed - got '" + value + "'");
    }
    long n = Long.parseLong(value);
    if (n < min) {
      throw new IllegalArgumentException("value must have a minimum value of " + min);
    }
    if (n > max) {
      throw new IllegalArgumentException("value must have a maximum value of " + max);
    }
    return n;
  }

  static boolean bool(String value) {
    switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on":
        return true;
      case "0", "false", "no", "off":
        return false;
      default:
        throw new IllegalArgumentException("type check ('boolean') failed - got '" + value + "'");
    }
  }

  /** A boolean as Proxmox stores it: {@code 1} or {@code 0}. */
  static String boolText(String value) {
    return bool(value) ? "1" : "0";
  }

  static void dnsName(String value) {
    if (!DNS_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException("value does not look like a valid DNS name");
    }
  }

  static void dnsNameList(String value) {
    for (String name : list(value)) {
      dnsName(name);
    }
  }

  static void node(String value) {
    if (!NODE.matcher(value).matches()) {
      throw new IllegalArgumentException("value does not look like a valid node name");
    }
  }

  static void storageId(String value) {
    if (!STORAGE_ID.matcher(value).matches()) {
      throw new IllegalArgumentException("storage ID '" + value + "' contains illegal characters");
    }
  }

  static void poolId(String value) {
    if (!POOL_ID.matcher(value).matches()) {
      throw new IllegalArgumentException("pool name '" + value + "' contains illegal characters");
    }
  }

  static void configId(String value) {
    if (!CONFIG_ID.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid configuration ID '" + value + "'");
    }
  }

  static List<String> configIdList(String value) {
    List<String> ids = list(value);
    ids.forEach(Formats::configId);
    return ids;
  }

  /** A {@code pve-tag-list}: tags split at {@code ;}, {@code ,} or spaces, without repeats. */
  static List<String> tags(String value) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> tags = new ArrayList<>();
    for (String tag : list(value)) {
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("invalid tag '" + tag + "'");
      }
      if (seen.add(tag.toLowerCase(Locale.ROOT))) {
        tags.add(tag);
      }
    }
    return tags;
  }

  static void mac(String value) {
    if (!MAC.matcher(value).matches() || (Integer.parseInt(value.substring(0, 2), 16) & 1) != 0) {
      throw new IllegalArgumentException("value does not look like a valid unicast MAC address");
    }
  }

  static void ipv4(String value) {
    if (!IPV4.matcher(value).matches()) {
      throw new IllegalArgumentException("value does not look like a valid IPv4 address");
    }
  }

  static void ipv6(String value) {
    if (!IPV6_CHARS.matcher(value).matches()) {
      throw new IllegalArgumentException("value does not look like a valid IPv6 address");
    }
    try {
      // A string with a colon is only ever parsed as a literal, never looked up.
      InetAddress.getByName(value);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalArgumentException("value does not look like a valid IPv6 address");
    }
  }

  static void ipv4Cidr(String value) {
    int slash = value.indexOf('/');
    try {
      ipv4(slash < 0 ? value : value.substring(0, slash));
      if (slash < 0) {
        throw new IllegalArgumentException("");
      }
      integer(value.substring(slash + 1), 0, 32);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("value does not look like a valid IPv4 CIDR address");
    }
  }

  static void ipv6Cidr(String value) {
    int slash = value.indexOf('/');
    try {
      ipv6(slash < 0 ? value : value.substring(0, slash));
      if (slash < 0) {
        throw new IllegalArgumentException("");
      }
      integer(value.substring(slash + 1), 0, 128);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("value does not look like a valid IPv6 CIDR address");
    }
  }

  /** Addresses separated by spaces, commas or semicolons, as in {@code nameserver}. */
  static void addressList(String value) {
    for (String address : list(value)) {
      try {
        if (address.contains(":")) {
          ipv6(address);
        } else {
          ipv4(address);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unable to parse address '" + address + "'");
      }
    }
  }

  /**
   * A property string {@code key=value,...}; a value without a key belongs to {@code defaultKey}.
   */
  static Map<String, String> properties(String value, String defaultKey) {
    Map<String, String> properties = new LinkedHashMap<>();
    String[] parts = value.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        if (i == parts.length - 1 && i > 0) {
          continue;
        }
        throw new IllegalArgumentException("missing key in comma-separated list property");
      }
      int eq = part.indexOf('=');
      String key;
      String v;
      if (eq < 0) {
        if (defaultKey == null || properties.containsKey(defaultKey)) {
          throw new IllegalArgumentException(
              "value without key, but schema does not define a default key");
        }
        key = defaultKey;
        v = part;
      } else {
        key = part.substring(0, eq);
        v = part.substring(eq + 1);
      }
      if (properties.containsKey(key)) {
        throw new IllegalArgumentException(
            "duplicate key in comma-separated list property: " + key);
      }
      properties.put(key, v);
    }
    return properties;
  }

  /**
   * A VM's {@code net[n]}: {@code virtio=<MAC>,bridge=vmbr0,...} or {@code
   * model=virtio,macaddr=<MAC>,...}; the answer has keys {@code model} and, when given, {@code
   * macaddr}, booleans as 0/1.
   */
  static Map<String, String> qemuNet(String value) {
    Map<String, String> net = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : properties(value, "model").entrySet()) {
      String key = e.getKey();
      String v = e.getValue();
      if (NIC_MODELS.contains(key)) {
        if (net.containsKey("model")) {
          throw new IllegalArgumentException(
              "duplicate key in comma-separated list property: model");
        }
        net.put("model", key);
        net.put("macaddr", v);
        continue;
      }
      switch (key) {
        case "model" -> {
          sub(key, () -> enumeration(v, NIC_MODELS));
          net.put(key, v);
        }
        case "macaddr" -> net.put(key, v);
        case "bridge" -> net.put(key, sub(key, () -> pattern(v, BRIDGE, "bridge")));
        case "firewall", "link_down" -> net.put(key, sub(key, () -> boolText(v)));
        case "tag" -> net.put(key, sub(key, () -> String.valueOf(integer(v, 1, 4094))));
        case "mtu" -> net.put(key, sub(key, () -> String.valueOf(integer(v, 1, 65520))));
        case "queues" -> net.put(key, sub(key, () -> String.valueOf(integer(v, 0, 64))));
        case "rate" -> net.put(key, sub(key, () -> pattern(v, NUMBER, "number")));
        case "trunks" -> net.put(key, sub(key, () -> pattern(v, TRUNKS, "VLAN list")));
        default -> throw notInSchema(key);
      }
    }
    if (!net.containsKey("model")) {
      throw new IllegalArgumentException("model: property is missing and it is not optional");
    }
    if (net.containsKey("macaddr")) {
      String mac = net.get("macaddr");
      sub("macaddr", () -> text(mac, () -> mac(mac)));
    }
    return net;
  }

  /** A VM's network device as Proxmox writes it: the model with its MAC first. */
  static String printQemuNet(Map<String, String> net) {
    StringBuilder out = new StringBuilder(net.get("model") + "=" + net.get("macaddr"));
    new TreeMap<>(net)
        .forEach(
            (k, v) -> {
              if (!k.equals("model") && !k.equals("macaddr")) {
                out.append(',').append(k).append('=').append(v);
              }
            });
    return out.toString();
  }

  /**
   * A container's {@code net[n]}: {@code name=eth0,bridge=vmbr0,hwaddr=<MAC>,ip=<CIDR>|dhcp|manual,
   * gw=...,ip6=...,gw6=...}.
   */
  static Map<String, String> lxcNet(String value) {
    Map<String, String> net = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : properties(value, null).entrySet()) {
      String key = e.getKey();
      String v = e.getValue();
      switch (key) {
        case "name" -> net.put(key, sub(key, () -> pattern(v, INTERFACE_NAME, "interface name")));
        case "bridge" -> net.put(key, sub(key, () -> pattern(v, BRIDGE, "bridge")));
        case "hwaddr" -> net.put(key, sub(key, () -> text(v, () -> mac(v))));
        case "ip" ->
            net.put(
                key,
                sub(
                    key,
                    () -> v.equals("dhcp") || v.equals("manual") ? v : text(v, () -> ipv4Cidr(v))));
        case "ip6" ->
            net.put(
                key,
                sub(
                    key,
                    () ->
                        List.of("dhcp", "auto", "manual").contains(v)
                            ? v
                            : text(v, () -> ipv6Cidr(v))));
        case "gw" -> net.put(key, sub(key, () -> text(v, () -> ipv4(v))));
        case "gw6" -> net.put(key, sub(key, () -> text(v, () -> ipv6(v))));
        case "firewall", "link_down", "host-managed" -> net.put(key, sub(key, () -> boolText(v)));
        case "tag" -> net.put(key, sub(key, () -> String.valueOf(integer(v, 1, 4094))));
        case "mtu" -> net.put(key, sub(key, () -> String.valueOf(integer(v, 64, 65535))));
        case "rate" -> net.put(key, sub(key, () -> pattern(v, NUMBER, "number")));
        case "trunks" -> net.put(key, sub(key, () -> pattern(v, TRUNKS, "VLAN list")));
        case "type" -> net.put(key, sub(key, () -> enumeration(v, List.of("veth"))));
        default -> throw notInSchema(key);
      }
    }
    if (!net.containsKey("name")) {
      throw new IllegalArgumentException("name: property is missing and it is not optional");
    }
    return net;
  }

  /** A container's network device as Proxmox writes it: the name first, then by key. */
  static String printLxcNet(Map<String, String> net) {
    StringBuilder out = new StringBuilder("name=" + net.get("name"));
    new TreeMap<>(net)
        .forEach(
            (k, v) -> {
              if (!k.equals("name")) {
                out.append(',').append(k).append('=').append(v);
              }
            });
    return out.toString();
  }

  /** A VM's cloud-init {@code ipconfig[n]}: {@code ip=<CIDR>|dhcp,gw=...,ip6=...,gw6=...}. */
  static Map<String, String> ipconfig(String value) {
    Map<String, String> config = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : properties(value, null).entrySet()) {
      String key = e.getKey();
      String v = e.getValue();
      switch (key) {
        case "ip" -> sub(key, () -> v.equals("dhcp") ? v : text(v, () -> ipv4Cidr(v)));
        case "ip6" ->
            sub(key, () -> v.equals("dhcp") || v.equals("auto") ? v : text(v, () -> ipv6Cidr(v)));
        case "gw" -> sub(key, () -> text(v, () -> ipv4(v)));
        case "gw6" -> sub(key, () -> text(v, () -> ipv6(v)));
        default -> throw notInSchema(key);
      }
      config.put(key, v);
    }
    if (config.containsKey("gw") && !config.containsKey("ip")) {
      throw new IllegalArgumentException("gateway specified without specifying an IP address");
    }
    if (config.containsKey("gw6") && !config.containsKey("ip6")) {
      throw new IllegalArgumentException(
          "IPv6 gateway specified without specifying an IPv6 address");
    }
    return config;
  }

  /** A VM's {@code memory}: {@code [current=]<MiB>}, at least 16. */
  static long qemuMemory(String value) {
    Map<String, String> memory = properties(value, "current");
    for (String key : memory.keySet()) {
      if (!key.equals("current")) {
        throw notInSchema(key);
      }
    }
    String current = memory.get("current");
    if (current == null) {
      throw new IllegalArgumentException("current: property is missing and it is not optional");
    }
    return sub("current", () -> integer(current, 16, Long.MAX_VALUE / (1 << 20)));
  }

  static void agent(String value) {
    properties(value, "enabled")
        .forEach(
            (key, v) -> {
              switch (key) {
                case "enabled", "freeze-fs", "fstrim_cloned_disks" -> sub(key, () -> bool(v));
                case "type" -> sub(key, () -> enumeration(v, List.of("virtio", "isa")));
                default -> throw notInSchema(key);
              }
            });
  }

  static void boot(String value) {
    properties(value, "legacy")
        .forEach(
            (key, v) -> {
              switch (key) {
                case "legacy" -> sub(key, () -> pattern(v, Pattern.compile("[acdn]{1,4}"), "boot"));
                case "order" ->
                    sub(
                        key,
                        () -> {
                          for (String device : v.split(";", -1)) {
                            pattern(device, Pattern.compile("[a-z]+\\d+"), "device");
                          }
                          return v;
                        });
                default -> throw notInSchema(key);
              }
            });
  }

  static void features(String value) {
    properties(value, null)
        .forEach(
            (key, v) -> {
              switch (key) {
                case "force_rw_sys", "fuse", "keyctl", "mknod", "nesting" ->
                    sub(key, () -> bool(v));
                case "mount" ->
                    sub(key, () -> pattern(v, Pattern.compile("[a-zA-Z0-9_; ]+"), "fstype list"));
                default -> throw notInSchema(key);
              }
            });
  }

  /**
   * A container's {@code rootfs}: {@code <storage>:<GiB>} for a new volume or {@code
   * [volume=]<storage>:<volume>}, with options such as {@code size=8G}.
   */
  static Map<String, String> rootfs(String value) {
    Map<String, String> rootfs = properties(value, "volume");
    rootfs.forEach(
        (key, v) -> {
          switch (key) {
            case "volume" -> sub(key, () -> volume(v));
            case "acl", "quota", "replicate", "ro", "shared" -> sub(key, () -> bool(v));
            case "size" -> sub(key, () -> pattern(v, DISK_SIZE, "disk size"));
            case "mountoptions" ->
                sub(
                    key,
                    () ->
                        pattern(
                            v,
                            Pattern.compile(
                                "(discard|lazytime|noatime|nodev|noexec|nosuid)"
                                    + "(;(discard|lazytime|noatime|nodev|noexec|nosuid))*"),
                            "mount options"));
            default -> throw notInSchema(key);
          }
        });
    if (!rootfs.containsKey("volume")) {
      throw new IllegalArgumentException("volume: property is missing and it is not optional");
    }
    return rootfs;
  }

  private static String volume(String value) {
    int colon = value.indexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("unable to parse volume '" + value + "'");
    }
    storageId(value.substring(0, colon));
    String rest = value.substring(colon + 1);
    if (!NUMBER.matcher(rest).matches() && !VOLUME_NAME.matcher(rest).matches()) {
      throw new IllegalArgumentException("unable to parse volume '" + value + "'");
    }
    return value;
  }

  /** Whether a rootfs volume asks for a new volume of some GiB, such as {@code local-lvm:8}. */
  static boolean newVolume(String volume) {
    return NUMBER.matcher(volume.substring(volume.indexOf(':') + 1)).matches();
  }

  /** A size such as {@code 8G}, {@code 512M} or {@code 1T}, in bytes. */
  static long diskSize(String size) {
    if (!DISK_SIZE.matcher(size).matches()) {
      return 0;
    }
    char unit = size.charAt(size.length() - 1);
    String number = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
    double n = Double.parseDouble(number);
    long factor =
        switch (unit) {
          case 'K' -> 1L << 10;
          case 'M' -> 1L << 20;
          case 'G' -> 1L << 30;
          case 'T' -> 1L << 40;
          default -> 1L;
        };
    return (long) (n * factor);
  }

  /**
   * A VM's {@code sshkeys}, of format {@code urlencoded}: after the form decoding of the request it
   * must still be percent-encoded, as {@code encodeURIComponent} leaves it. Answers the keys.
   */
  static String urlencodedSshKeys(String value) {
    if (!URLENCODED.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid urlencoded string");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length()) {
          throw new IllegalArgumentException("invalid urlencoded string");
        }
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("invalid urlencoded string");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    String keys = bytes.toString(StandardCharsets.UTF_8);
    sshKeys(keys);
    return keys;
  }

  /** Public keys, one per line: {@code <type> <base64>[ <comment>]}; blank lines are skipped. */
  static void sshKeys(String text) {
    String[] lines = text.split("\r?\n", -1);
    for (String line : lines) {
      String key = line.strip();
      if (key.isEmpty() || key.startsWith("#")) {
        continue;
      }
      String[] parts = key.split("\\s+", 3);
      if (parts.length < 2 || !SSH_KEY_TYPES.contains(parts[0]) || !blobOfType(parts)) {
        throw new IllegalArgumentException("invalid SSH public key");
      }
    }
  }

  private static boolean blobOfType(String[] parts) {
    try {
      ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(parts[1]));
      int length = blob.getInt();
      if (length < 0 || length > blob.remaining()) {
        return false;
      }
      byte[] type = new byte[length];
      blob.get(type);
      return parts[0].equals(new String(type, StandardCharsets.US_ASCII)) && blob.hasRemaining();
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      return false;
    }
  }

  private static List<String> list(String value) {
    List<String> items = new ArrayList<>();
    for (String item : LIST_SEPARATOR.split(value.strip())) {
      if (!item.isEmpty()) {
        items.add(item);
      }
    }
    return items;
  }

  private static String pattern(String value, Pattern pattern, String what) {
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("value does not look like a valid " + what);
    }
    return value;
  }

  private static String enumeration(String value, List<String> values) {
    if (!values.contains(value)) {
      throw new IllegalArgumentException(
          "value '"
              + value
              + "' does not have a value in the enumeration '"
              + String.join(", ", values)
              + "'");
    }
    return value;
  }

  private static String text(String value, Runnable check) {
    check.run();
    return value;
  }

  /** Runs a check of one key of a property string and names the key in its problem. */
  private static <T> T sub(String key, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static IllegalArgumentException notInSchema(String key) {
    return new IllegalArgumentException(
        key
            + ": property is not defined in schema and the schema does not allow additional"
            + " properties");
  }
}
