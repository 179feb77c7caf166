package org.berth.hypervisor.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FormatsTest {

  @Test
  void readsBothSpellingsOfAVmNetworkDevice() {
    assertThat(
            Formats.printQemuNet(Formats.qemuNet("virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,tag=10")))
        .isEqualTo("virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,tag=10");
    assertThat(
            Formats.printQemuNet(
                Formats.qemuNet(
                    "model=e1000,macaddr=BC:24:11:AA:BB:CC,bridge=vmbr1,firewall=true")))
        .isEqualTo("e1000=BC:24:11:AA:BB:CC,bridge=vmbr1,firewall=1");
    assertThatThrownBy(() -> Formats.qemuNet("bridge=vmbr0")).hasMessageContaining("model");
    assertThatThrownBy(() -> Formats.qemuNet("virtio=BC:24:11:AA:BB:CC,tag=5000"))
        .hasMessageContaining("tag: value must have a maximum value of 4094");
    assertThatThrownBy(() -> Formats.qemuNet("virtio,speed=10"))
        .hasMessageContaining("speed: property is not defined in schema");
  }

  @Test
  void checksCloudInitAddresses() {
    assertThat(Formats.ipconfig("ip=dhcp,ip6=auto")).containsEntry("ip6", "auto");
    assertThat(Formats.ipconfig("ip=10.0.0.5/24,gw=10.0.0.1,ip6=2001:db8::5/64,gw6=2001:db8::1"))
        .hasSize(4);
    assertThatThrownBy(() -> Formats.ipconfig("ip=10.0.0.5,gw=10.0.0.1"))
        .hasMessageContaining("ip: value does not look like a valid IPv4 CIDR address");
    assertThatThrownBy(() -> Formats.ipconfig("ip=10.0.0.5/24,gw6=2001:db8::1"))
        .hasMessageContaining("IPv6 gateway specified without");
    assertThatThrownBy(() -> Formats.ipconfig("ip=10.0.0.256/24"))
        .hasMessageContaining("IPv4 CIDR");
    assertThatThrownBy(() -> Formats.ipconfig("ip6=fe80::zz/64")).hasMessageContaining("IPv6");
  }

  @Test
  void splitsTagListsAtSemicolonsCommasAndSpaces() {
    assertThat(Formats.tags("berth;owner-alice,ttl+7d  Berth"))
        .containsExactly("berth", "owner-alice", "ttl+7d");
    assertThatThrownBy(() -> Formats.tags("ok;-bad")).hasMessage("invalid tag '-bad'");
  }

  @Test
  void readsContainerNetworksAndDisks() {
    assertThat(
            Formats.printLxcNet(
                Formats.lxcNet("ip=dhcp,name=eth0,bridge=vmbr0,firewall=1,ip6=manual")))
        .isEqualTo("name=eth0,bridge=vmbr0,firewall=1,ip=dhcp,ip6=manual");
    assertThatThrownBy(() -> Formats.lxcNet("bridge=vmbr0")).hasMessageContaining("name");
    assertThat(Formats.rootfs("local-lvm:8")).containsEntry("volume", "local-lvm:8");
    assertThat(Formats.rootfs("volume=local-lvm:vm-100-disk-0,size=8G"))
        .containsEntry("size", "8G");
    assertThatThrownBy(() -> Formats.rootfs("8G")).hasMessageContaining("volume");
    assertThat(Formats.diskSize("512M")).isEqualTo(512L << 20);
  }

  @Test
  void checksIntegersAndBooleansWithProxmoxWording() {
    assertThatThrownBy(() -> Formats.integer("12a", 1, 10))
        .hasMessage("type check ('integer') failed - got '12a'");
    assertThatThrownBy(() -> Formats.bool("maybe"))
        .hasMessage("type check ('boolean') failed - got 'maybe'");
    assertThat(Formats.boolText("yes")).isEqualTo("1");
  }
}
