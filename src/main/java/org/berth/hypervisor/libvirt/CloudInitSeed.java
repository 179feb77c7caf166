package org.berth.hypervisor.libvirt;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.HypervisorFailure;

/**
 * A guest's cloud-init NoCloud seed: {@code meta-data} (instance id and host name), {@code
 * user-data} (the user with the owner's SSH keys) and {@code network-config} (version 2: the
 * request's MAC with its static addresses, gateways and DNS servers). Each file is JSON, which YAML
 * reads as it is, so no value can change a file's structure. The seed is an ext4 image labelled
 * {@code cidata}: cloud-init finds it by that label on a VM's disk, and a container has it mounted
 * read-only where cloud-init looks for a seed directory.
 */
final class CloudInitSeed {

  /** Where a container's seed is mounted: cloud-init's NoCloud seed directory. */
  static final String CONTAINER_SEED_DIR = "/var/lib/cloud/seed/nocloud";

  /** The image's size: the files are a few KiB; ext4 needs a little room of its own. */
  static final long SIZE_BYTES = 4L * 1024 * 1024;

  private static final java.util.regex.Pattern UNIX_USER =
      java.util.regex.Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  private CloudInitSeed() {}

  static String metaData(GuestSpec spec) {
    return Json.createObjectBuilder()
        .add(
            "instance-id",
            LibvirtHypervisor.domainName(spec.ref().vmid()) + "-r" + spec.requestId())
        .add("local-hostname", spec.name())
        .build()
        .toString();
  }

  /** The user the keys are for: the template's user for a VM, root for a container without one. */
  static String user(GuestSpec spec) {
    return spec.user() == null || spec.user().isBlank()
        ? spec.ref().type() == GuestType.VM ? "debian" : "root"
        : spec.user();
  }

  static String userData(GuestSpec spec) {
    JsonArrayBuilder keys = Json.createArrayBuilder();
    spec.sshKeys().forEach(keys::add);
    JsonObjectBuilder config = Json.createObjectBuilder().add("hostname", spec.name());
    String user = user(spec);
    if ("root".equals(user)) {
      config.add("disable_root", false).add("ssh_authorized_keys", keys);
    } else {
      config.add(
          "users",
          Json.createArrayBuilder()
              .add(
                  Json.createObjectBuilder()
                      .add("name", user)
                      .add("shell", "/bin/bash")
                      .add("sudo", "ALL=(ALL) NOPASSWD:ALL")
                      .add("lock_passwd", true)
                      .add("ssh_authorized_keys", keys)));
    }
    if (UNIX_USER.matcher(user).matches()) {
      config.add(
          "bootcmd",
          Json.createArrayBuilder()
              .add(Json.createArrayBuilder().add("sh").add("-c").add(consoleAutologin(user))));
    }
    return "#cloud-config\n" + config.build() + "\n";
  }

  /**
   * A shell script that makes the guest's console log {@code user} in by itself: the getty of a
   * container's console and of a VM's first serial port. The console is reached only through Berth,
   * by the guest's owner and admins, so it is the way in for someone whose key or network is
   * broken. It runs as cloud-init's {@code bootcmd}, before the gettys start.
   */
  static String consoleAutologin(String user) {
    String dir = "/etc/systemd/system/";
    return String.join(
        "\n",
        "set -e",
        "mkdir -p " + dir + "console-getty.service.d " + dir + "serial-getty@ttyS0.service.d",
        "printf '[Service]\\nExecStart=\\nExecStart=-/sbin/agetty --autologin "
            + user
            + " --noclear --keep-baud - 115200,38400,9600 $TERM\\n' > "
            + dir
            + "console-getty.service.d/berth-console.conf",
        "printf '[Service]\\nExecStart=\\nExecStart=-/sbin/agetty --autologin "
            + user
            + " --keep-baud 115200,57600,38400,9600 - $TERM\\n' > "
            + dir
            + "serial-getty@ttyS0.service.d/berth-console.conf",
        "systemctl daemon-reload");
  }

  static String networkConfig(GuestSpec spec) {
    JsonObjectBuilder nic =
        Json.createObjectBuilder()
            .add(
                "match",
                Json.createObjectBuilder()
                    .add("macaddress", spec.mac().toLowerCase(java.util.Locale.ROOT)));
    JsonArrayBuilder addresses = Json.createArrayBuilder();
    boolean any = false;
    if ("dhcp".equals(spec.ipv4())) {
      nic.add("dhcp4", true);
    } else if (spec.ipv4() != null) {
      addresses.add(spec.ipv4());
      any = true;
      if (spec.gateway4() != null) {
        nic.add("gateway4", spec.gateway4());
      }
    }
    if ("dhcp".equals(spec.ipv6()) || "auto".equals(spec.ipv6())) {
      nic.add("dhcp6", true);
    } else if (spec.ipv6() != null) {
      addresses.add(spec.ipv6());
      any = true;
      if (spec.gateway6() != null) {
        nic.add("gateway6", spec.gateway6());
      }
    }
    if (any) {
      nic.add("addresses", addresses);
    }
    if (!spec.nameservers().isEmpty()) {
      JsonArrayBuilder servers = Json.createArrayBuilder();
      spec.nameservers().forEach(servers::add);
      nic.add("nameservers", Json.createObjectBuilder().add("addresses", servers));
    }
    JsonObject config =
        Json.createObjectBuilder()
            .add("version", 2)
            .add("ethernets", Json.createObjectBuilder().add("berth0", nic))
            .build();
    return config + "\n";
  }

  /**
   * The seed as an image, its bytes: for a VM an ISO 9660 image labelled {@code cidata} (made with
   * {@code genisoimage}), the kind cloud-init looks for on a disk; for a container an ext4 image
   * with that label (made with {@code mkfs.ext4 -d}), which libvirt mounts through a loop device on
   * hosts whose kernel reads no ISO 9660.
   */
  static byte[] image(GuestSpec spec) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("berth-seed-");
      Path files = Files.createDirectory(dir.resolve("cidata"));
      Files.writeString(files.resolve("meta-data"), metaData(spec), StandardCharsets.UTF_8);
      Files.writeString(files.resolve("user-data"), userData(spec), StandardCharsets.UTF_8);
      Files.writeString(
          files.resolve("network-config"), networkConfig(spec), StandardCharsets.UTF_8);
      Path image = dir.resolve("seed.img");
      List<String> command =
          spec.ref().type() == GuestType.VM
              ? List.of(
                  program("genisoimage"),
                  "-quiet",
                  "-output",
                  image.toString(),
                  "-volid",
                  "cidata",
                  "-joliet",
                  "-rock",
                  files.toString())
              : List.of(
                  program("mkfs.ext4"),
                  "-q",
                  "-F",
                  "-L",
                  "cidata",
                  "-d",
                  files.toString(),
                  image.toString(),
                  (SIZE_BYTES / 1024) + "k");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      boolean ended = process.waitFor(60, TimeUnit.SECONDS);
      String output = new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
      if (!ended || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new HypervisorFailure("cannot make the cloud-init seed: " + output.strip(), false);
      }
      if (Files.size(image) > SIZE_BYTES) {
        throw new HypervisorFailure(
            "the cloud-init seed is larger than " + SIZE_BYTES / 1024 + " KiB", false);
      }
      return Files.readAllBytes(image);
    } catch (IOException e) {
      throw new HypervisorFailure(
          "cannot make the cloud-init seed (are genisoimage and e2fsprogs installed?): "
              + e.getMessage(),
          false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HypervisorFailure("interrupted while making the cloud-init seed", true);
    } finally {
      delete(dir);
    }
  }

  private static String program(String name) {
    for (String dir : List.of("/usr/bin/", "/usr/sbin/", "/sbin/")) {
      if (Files.isExecutable(Path.of(dir + name))) {
        return dir + name;
      }
    }
    return name;
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is no reason to fail the guest
    }
  }
}
