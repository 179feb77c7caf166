package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.berth.platform.config.Mode;
import org.berth.platform.database.DatabaseReady;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.TemplateSpec;

/**
 * The templates a fresh installation starts with, so the demo can be used at once: added when this
 * is the demo ({@code berth.demo=true}) and there are no templates yet, in the references of the
 * demo's hypervisor (Proxmox VE and the simulated cluster, or libvirt).
 */
@ApplicationScoped
public class DemoTemplates {

  static final List<TemplateSpec> TEMPLATES =
      List.of(
          new TemplateSpec(
              "debian-12",
              GuestKind.VM,
              "9000",
              "debian",
              "Debian 12 cloud image",
              2,
              8,
              2048,
              16384,
              20,
              200,
              true,
              TemplateSpec.DEFAULT_SNAPSHOTS),
          new TemplateSpec(
              "ubuntu-24.04",
              GuestKind.VM,
              "9001",
              "ubuntu",
              "Ubuntu 24.04 LTS cloud image",
              2,
              8,
              2048,
              16384,
              20,
              200,
              true,
              TemplateSpec.DEFAULT_SNAPSHOTS),
          new TemplateSpec(
              "debian-12-ct",
              GuestKind.CONTAINER,
              "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
              "root",
              "Debian 12 system container",
              1,
              4,
              512,
              8192,
              8,
              100,
              true,
              TemplateSpec.DEFAULT_SNAPSHOTS),
          new TemplateSpec(
              "alpine-3.20-ct",
              GuestKind.CONTAINER,
              "local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz",
              "root",
              "Alpine 3.20 system container",
              1,
              2,
              256,
              2048,
              2,
              20,
              true,
              TemplateSpec.DEFAULT_SNAPSHOTS));

  /**
   * The demo's templates on libvirt hosts: the Debian template {@code
   * deploy/libvirt/build-template} makes, as a VM (an overlay on it, grown to the size asked for)
   * and as a container (a copy of its file system, at the template's size).
   */
  static final List<TemplateSpec> LIBVIRT_TEMPLATES =
      List.of(
          new TemplateSpec(
              "debian-12",
              GuestKind.VM,
              "debian-12",
              "debian",
              "Debian 12 (deploy/libvirt/build-template)",
              1,
              4,
              1024,
              8192,
              4,
              100,
              false,
              TemplateSpec.DEFAULT_SNAPSHOTS),
          new TemplateSpec(
              "debian-12-ct",
              GuestKind.CONTAINER,
              "debian-12",
              "root",
              "Debian 12 system container (deploy/libvirt/build-template)",
              1,
              2,
              512,
              4096,
              2,
              2,
              false,
              TemplateSpec.DEFAULT_SNAPSHOTS));

  @Inject Templates templates;
  @Inject Mode mode;

  void seed(@Observes DatabaseReady ready) {
    if (mode.isDemo()) {
      templates.seedIfEmpty(
          mode.hypervisor().orElse(null) == Mode.HypervisorKind.LIBVIRT
              ? LIBVIRT_TEMPLATES
              : TEMPLATES);
    }
  }
}
