package org.berth.hypervisor.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.berth.hypervisor.GuestConsole;
import org.berth.hypervisor.HypervisorFailure;

/**
 * A guest's console through {@code virsh console}: a VM's first serial port, a container's {@code
 * /dev/console}. virsh insists on a terminal, so it runs in a pseudo-terminal that {@code script}
 * (util-linux) gives it; what is typed goes to {@code script}'s input, what the guest writes comes
 * from its output. For a VM, {@code --force} takes the console over from a session left open
 * elsewhere; libvirt's LXC driver takes no such flag.
 */
final class VirshConsole implements GuestConsole {

  private static final Path SCRIPT = Path.of("/usr/bin/script");

  private final Process process;
  private final OutputStream input;

  private VirshConsole(Process process) {
    this.process = process;
    this.input = process.getOutputStream();
  }

  static VirshConsole open(String virsh, String uri, String domain, boolean force) {
    if (!Files.isExecutable(SCRIPT)) {
      throw new HypervisorFailure(
          "the console needs " + SCRIPT + " (util-linux) on Berth's machine", false);
    }
    String command =
        String.join(
            " ",
            quoted(virsh),
            "-c",
            quoted(uri),
            "console",
            force ? "--force" : "",
            quoted(domain));
    try {
      Process process =
          new ProcessBuilder(
                  List.of(SCRIPT.toString(), "-q", "-f", "-e", "-c", command, "/dev/null"))
              .redirectErrorStream(true)
              .start();
      return new VirshConsole(process);
    } catch (IOException e) {
      throw new HypervisorFailure("cannot start virsh console: " + e.getMessage(), false);
    }
  }

  /**
   * One word for {@code sh -c}: in single quotes, each quote in it closed, escaped and reopened.
   */
  static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  @Override
  public InputStream output() {
    return process.getInputStream();
  }

  @Override
  public synchronized void write(byte[] bytes) throws IOException {
    input.write(bytes);
    input.flush();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
