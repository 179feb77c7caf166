package org.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Debian template {@code deploy/libvirt/build-template} makes, built once per machine into
 * {@code /var/cache/berth/templates} (or {@code -Dberth.templates=DIR}) and reused by every later
 * run: a few minutes the first time, nothing after.
 */
public final class LibvirtTemplate {

  public static final String NAME = "debian-12";

  public static final RequiredProgram DEBOOTSTRAP =
      new RequiredProgram(Path.of("/usr/sbin/debootstrap"), "apt-get install debootstrap");
  public static final RequiredProgram MKFS_EXT4 =
      new RequiredProgram(Path.of("/usr/sbin/mkfs.ext4"), "apt-get install e2fsprogs");

  private static LibvirtTemplate built;

  private final Path dir;

  private LibvirtTemplate(Path dir) {
    this.dir = dir;
  }

  /** The template, built first if this machine has none yet. */
  public static synchronized LibvirtTemplate debian() throws IOException, InterruptedException {
    if (built != null) {
      return built;
    }
    RequiredProgram.requireRoot();
    DEBOOTSTRAP.require();
    MKFS_EXT4.require();
    Path dir = Path.of(System.getProperty("berth.templates", "/var/cache/berth/templates"));
    Path script = Path.of("deploy", "libvirt", "build-template").toAbsolutePath();
    Exec.Result r =
        Exec.run(List.of(script.toString(), dir.toString()), Map.of(), Duration.ofMinutes(20));
    if (r.exit() != 0) {
      throw new AssertionError("building the template failed:\n" + r.all());
    }
    built = new LibvirtTemplate(dir);
    return built;
  }

  /** Puts the template's files into a storage pool's folder (hard links where it can). */
  void linkInto(Path pool) throws IOException {
    for (String suffix : List.of(".raw", ".vmlinuz", ".initrd")) {
      Path source = dir.resolve(NAME + suffix);
      Path target = pool.resolve(NAME + suffix);
      Files.deleteIfExists(target);
      try {
        Files.createLink(target, source);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(source, target);
      }
    }
  }
}
