package org.berth.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.berth.hypervisor.HypervisorFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed {@code virsh} call says: it reaches the guest's owner, so it names the node and
 * never the connection URI with its user and host.
 */
class VirshTest {

  static final String URI = "qemu+ssh://berth@kvm1.internal.example/system";

  @TempDir Path dir;

  /** A stand-in for virsh: a script that does what {@code body} says. */
  Path program(String body) throws Exception {
    Path script = dir.resolve("virsh");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void aRefusalNamesTheNodeAndNotTheConnection() throws Exception {
    Path virsh =
        program(
            "echo \"error: failed to connect to the hypervisor\" >&2\n"
                + "echo \"error: Cannot recv data: ssh: connect to "
                + URI
                + ": Connection refused\" >&2\n"
                + "exit 1");
    Virsh v = new Virsh(virsh.toString(), URI, "libvirt on kvm1 (VMs)", Duration.ofSeconds(10));
    assertThatThrownBy(() -> v.run("list", "--all"))
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessageStartingWith("libvirt on kvm1 (VMs) refused 'list': failed to connect")
        .hasMessageContaining("connect to libvirt on kvm1 (VMs)")
        .hasMessageNotContaining("qemu+ssh")
        .hasMessageNotContaining("berth@");
  }

  @Test
  void aCallThatDoesNotAnswerSaysHowLongItWaitedAndWhichSetting() throws Exception {
    Path virsh = program("sleep 5");
    Virsh v = new Virsh(virsh.toString(), URI, "libvirt on kvm1 (VMs)", Duration.ofSeconds(1));
    assertThatThrownBy(() -> v.run("start", "berth-10000"))
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isTrue())
        .hasMessage(
            "libvirt on kvm1 (VMs) did not answer 'start' within 1 s"
                + " (berth.libvirt.timeout-seconds)");
  }

  @Test
  void anAnswerComesBackAsItsOutput() throws Exception {
    Path virsh = program("echo \"$@\"");
    Virsh v = new Virsh(virsh.toString(), URI, "libvirt on kvm1 (VMs)", Duration.ofSeconds(10));
    assertThat(v.run("list", "--all").strip()).isEqualTo("-q -c " + URI + " list --all");
  }
}
