package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.libvirt.LibvirtHypervisor;
import org.berth.hypervisor.libvirt.LibvirtNode;
import org.berth.hypervisor.libvirt.LibvirtSettings;
import org.berth.hypervisor.proxmox.ProxmoxHypervisor;
import org.berth.hypervisor.proxmox.ProxmoxSettings;
import org.berth.hypervisor.setup.HypervisorTemplates;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.TemplateSpec;
import org.berth.testing.Components;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Saving a template asks the configured hypervisor whether its reference is of the kind it takes: a
 * template VMID or an ostemplate volume on Proxmox VE, a volume name on libvirt. A refused template
 * names the field and the rule, and nothing is stored.
 */
@Standalone
class TemplatesComponentTest {

  static Components components;

  @BeforeAll
  static void start() {
    components = Components.start();
  }

  @AfterAll
  static void stop() {
    components.close();
  }

  @Test
  void onProxmoxAVmTemplateIsAVmidAndAContainerTemplateAnOstemplateVolume() {
    Templates templates = templates(proxmox());

    assertThatThrownBy(() -> templates.add(spec("pve-vm", GuestKind.VM, "debian-12")))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e ->
                assertThat(e.fields())
                    .containsEntry(
                        "hypervisorRef",
                        "must be the template's VMID, a number from 100 to 999999999"));
    assertThatThrownBy(() -> templates.add(spec("pve-ct", GuestKind.CONTAINER, "9000")))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e -> assertThat(e.fields().get("hypervisorRef")).startsWith("must be an ostemplate"));
    assertThat(templates.all()).extracting(t -> t.spec().name()).doesNotContain("pve-vm", "pve-ct");

    templates.add(spec("pve-vm", GuestKind.VM, "9000"));
    templates.add(spec("pve-ct", GuestKind.CONTAINER, "local:vztmpl/debian-12.tar.zst"));
    assertThat(templates.all()).extracting(t -> t.spec().name()).contains("pve-vm", "pve-ct");
  }

  @Test
  void onLibvirtATemplateIsTheNameOfItsVolumesInThePool() {
    Templates templates = templates(libvirt());

    assertThatThrownBy(
            () -> templates.add(spec("lv-ct", GuestKind.CONTAINER, "local:vztmpl/x.tar.zst")))
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e ->
                assertThat(e.fields().get("hypervisorRef"))
                    .startsWith("must be the name of the template's volumes in pool berth"));
    assertThat(templates.all()).extracting(t -> t.spec().name()).doesNotContain("lv-ct");

    templates.add(spec("lv-vm", GuestKind.VM, "debian-12"));
    templates.add(spec("lv-ct", GuestKind.CONTAINER, "debian-12"));
    assertThat(templates.all()).extracting(t -> t.spec().name()).contains("lv-vm", "lv-ct");
  }

  private static Templates templates(Hypervisor hypervisor) {
    HypervisorTemplates references = new HypervisorTemplates();
    Components.inject(references, "hypervisor", hypervisor);
    Templates templates = components.store(Templates.class);
    Components.inject(templates, "references", references);
    return templates;
  }

  private static TemplateSpec spec(String name, GuestKind kind, String ref) {
    return new TemplateSpec(
        name,
        kind,
        ref,
        "debian",
        "",
        1,
        2,
        512,
        1024,
        4,
        8,
        false,
        TemplateSpec.DEFAULT_SNAPSHOTS);
  }

  private static Hypervisor proxmox() {
    return new ProxmoxHypervisor(
        new ProxmoxSettings(
            URI.create("https://pve.invalid:8006"),
            "berth@pve!berth",
            "never-used",
            null,
            null,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            "local-lvm",
            null,
            null));
  }

  private static Hypervisor libvirt() {
    return new LibvirtHypervisor(
        new LibvirtSettings(
            List.of(new LibvirtNode("kvm1", "qemu:///system", "lxc:///")),
            "berth",
            Path.of("/usr/bin/virsh").toString(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1)));
  }
}
