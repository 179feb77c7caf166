package org.berth.hypervisor.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxmoxHypervisorTest {

  @Test
  void sshKeysArePercentEncodedWithSpacesAsPercent20() {
    String encoded = ProxmoxClient.percentEncode("ssh-ed25519 AAAAC3Nza+b/c= alice@laptop\n");
    assertThat(encoded).isEqualTo("ssh-ed25519%20AAAAC3Nza%2Bb%2Fc%3D%20alice%40laptop%0A");
    // On the wire the form encoding comes on top: each % becomes %25, and no + stands for a space.
    assertThat(ProxmoxClient.formEncode(Map.of("sshkeys", encoded)))
        .isEqualTo("sshkeys=ssh-ed25519%2520AAAAC3Nza%252Bb%252Fc%253D%2520alice%2540laptop%250A");
  }

  @Test
  void theRequestIsReadFromTheTagOrTheDescription() {
    assertThat(ProxmoxHypervisor.requestOf("berth;berth-request-42", null)).isEqualTo(42L);
    assertThat(ProxmoxHypervisor.requestOf("web,berth-request-7", null)).isEqualTo(7L);
    assertThat(
            ProxmoxHypervisor.requestOf(
                "", "Created by Berth for alice (request 9).\nberth-request-id: 9\n"))
        .isEqualTo(9L);
    assertThat(ProxmoxHypervisor.requestOf("berth-request-x;other", "notes")).isNull();
  }

  @Test
  void diskSizesAreReadInGiB() {
    assertThat(ProxmoxHypervisor.sizeGib("local-lvm:vm-100-disk-0,size=8G")).isEqualTo(8.0);
    assertThat(ProxmoxHypervisor.sizeGib("local-lvm:vm-100-disk-0,discard=on,size=512M"))
        .isEqualTo(0.5);
    assertThat(ProxmoxHypervisor.sizeGib("local:100/vm-100-disk-0.qcow2,size=1T"))
        .isEqualTo(1024.0);
    assertThat(ProxmoxHypervisor.sizeGib("none,media=cdrom")).isEqualTo(-1.0);
  }
}
