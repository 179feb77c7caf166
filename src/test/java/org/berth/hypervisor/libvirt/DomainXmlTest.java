package org.berth.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.HypervisorFailure;
import org.junit.jupiter.api.Test;

/** The domain XML and the cloud-init seed Berth writes, and what it reads back from libvirt. */
class DomainXmlTest {

  private static GuestSpec spec(GuestType type, String name) {
    return new GuestSpec(
        42,
        "alice",
        new GuestRef(type, "kvm1", 1042),
        name,
        "debian-12",
        false,
        2,
        1024,
        8,
        "br0",
        "02:BE:27:00:00:05",
        "10.77.0.5/24",
        "10.77.0.1",
        "2001:db8::5/64",
        "2001:db8::1",
        List.of("10.77.0.1"),
        "debian",
        List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE alice@laptop"));
  }

  @Test
  void aVmCarriesBerthsMarkItsNameAsTitleAndItsMacAndBootsItsTemplatesKernel() {
    String xml =
        DomainXml.vm(
            spec(GuestType.VM, "web-1"),
            "berth",
            new DomainXml.Volumes("/p/d", "/p/s", "/p/debian-12.vmlinuz", "/p/debian-12.initrd"),
            false,
            "6f1c0c4e-0000-4000-8000-000000000001");

    assertThat(xml)
        .contains("<domain type='qemu'>", "<name>berth-1042</name>", "<title>web-1</title>")
        .contains("<mac address='02:be:27:00:00:05'/><source bridge='br0'/>")
        .contains("<kernel>/p/debian-12.vmlinuz</kernel>", "volume='berth-1042-disk.qcow2'")
        .contains("<uuid>6f1c0c4e-0000-4000-8000-000000000001</uuid>");
    DomainXml.Read read = DomainXml.read(xml);
    assertThat(read.requestId()).isEqualTo(42L);
    assertThat(read.title()).isEqualTo("web-1");
    assertThat(read.memoryMib()).isEqualTo(1024);
  }

  @Test
  void textFromPeopleCannotChangeTheXmlsStructure() {
    GuestSpec spec = spec(GuestType.CONTAINER, "a</title><metadata>x");
    String xml =
        DomainXml.container(spec, new DomainXml.Volumes("/p/r'oot", "/p/s", null, null), null);

    DomainXml.Read read = DomainXml.read(xml);
    assertThat(read.title()).isEqualTo("a</title><metadata>x");
    assertThat(read.requestId()).isEqualTo(42L);
    assertThat(xml).contains("<source file='/p/r&apos;oot'/>");
  }

  @Test
  void aDomainSomeoneMadeHasNoMarkAndADoctypeIsRefused() {
    DomainXml.Read read =
        DomainXml.read(
            "<domain type='kvm'><name>win11</name><memory unit='KiB'>4194304</memory></domain>");
    assertThat(read.requestId()).isNull();
    assertThat(read.memoryMib()).isEqualTo(4096);
    assertThatThrownBy(
            () ->
                DomainXml.read(
                    "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain>&x;</domain>"))
        .isInstanceOf(HypervisorFailure.class);
  }

  @Test
  void theSeedGivesTheUserTheKeysAndTheStaticAddressesForTheMac() {
    GuestSpec spec = spec(GuestType.VM, "web-1");

    String userData = CloudInitSeed.userData(spec);
    assertThat(userData).startsWith("#cloud-config\n");
    JsonObject user =
        Json.createReader(new StringReader(userData.substring(userData.indexOf('\n') + 1)))
            .readObject()
            .getJsonArray("users")
            .getJsonObject(0);
    assertThat(user.getString("name")).isEqualTo("debian");
    assertThat(user.getJsonArray("ssh_authorized_keys").getString(0)).endsWith("alice@laptop");

    JsonObject nic =
        Json.createReader(new StringReader(CloudInitSeed.networkConfig(spec)))
            .readObject()
            .getJsonObject("ethernets")
            .getJsonObject("berth0");
    assertThat(nic.getJsonObject("match").getString("macaddress")).isEqualTo("02:be:27:00:00:05");
    assertThat(nic.getJsonArray("addresses").getValuesAs(jakarta.json.JsonString::getString))
        .containsExactly("10.77.0.5/24", "2001:db8::5/64");
    assertThat(nic.getString("gateway4")).isEqualTo("10.77.0.1");
    assertThat(CloudInitSeed.metaData(spec)).contains("\"local-hostname\":\"web-1\"");
  }

  @Test
  void aContainerWithoutAUserTakesTheKeysForRoot() {
    GuestSpec spec = spec(GuestType.CONTAINER, "ct-1");
    GuestSpec rootless =
        new GuestSpec(
            spec.requestId(),
            spec.owner(),
            spec.ref(),
            spec.name(),
            spec.template(),
            false,
            1,
            512,
            4,
            "br0",
            spec.mac(),
            spec.ipv4(),
            spec.gateway4(),
            null,
            null,
            List.of(),
            null,
            spec.sshKeys());

    JsonObject config =
        Json.createReader(
                new StringReader(
                    CloudInitSeed.userData(rootless)
                        .substring(CloudInitSeed.userData(rootless).indexOf('\n') + 1)))
            .readObject();
    assertThat(config.getBoolean("disable_root")).isFalse();
    assertThat(config.getJsonArray("ssh_authorized_keys")).hasSize(1);
    // The console logs root in by itself: the getty of the container's console is told so.
    assertThat(config.getJsonArray("bootcmd").getJsonArray(0).getString(2))
        .contains(
            "ExecStart=-/sbin/agetty --autologin root --noclear --keep-baud - 115200,38400,9600"
                + " $TERM",
            "console-getty.service.d/berth-console.conf",
            "systemctl daemon-reload");
  }
}
