package org.berth.hypervisor.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.berth.hypervisor.simulator.JournalEntry;
import org.berth.hypervisor.simulator.PveApiSchema;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.testing.TestClusters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every call the Proxmox adapter makes, checked against Proxmox's own API schema: paths, methods,
 * parameter names, types, formats and required parameters. The calls are recorded by the simulated
 * cluster while the adapter takes a VM and a container through their whole lives.
 */
class ProxmoxContractTest {

  @Test
  void everyCallTheAdapterMakesIsOneProxmoxAccepts() {
    Optional<PveApiSchema> schema = PveApiSchema.load();
    Assumptions.assumeTrue(
        schema.isPresent(),
        "Proxmox's API schema is not at "
            + PveApiSchema.defaultLocation()
            + "; set -Dberth.pve-schema to check the adapter's calls against it");
    try (SimulatedProxmox cluster =
        SimulatedProxmox.start(
            SimulatorSettings.defaults()
                .withToken("berth@pve!test", ProxmoxAdapterTest.SECRET)
                .withConsoleUser("berth-console@pve", "console-pass")
                .withTaskDuration(Duration.ofMillis(50)))) {
      ProxmoxHypervisor proxmox =
          new ProxmoxHypervisor(
              TestClusters.withConsoleUser(
                  ProxmoxAdapterTest.settings(cluster.url(), ProxmoxAdapterTest.SECRET),
                  "berth-console@pve",
                  "console-pass"));
      var vm = ProxmoxAdapterTest.vm(7, 10010, "sim2");
      var ct = ProxmoxAdapterTest.container(8, 10011, "sim3");
      proxmox.description();
      proxmox.cluster();
      for (var spec : List.of(vm, ct)) {
        proxmox.create(spec);
        proxmox.status(spec.ref());
        proxmox.configure(spec);
        proxmox.start(spec.ref());
        proxmox.reboot(spec.ref());
        try (var console = proxmox.console(spec.ref())) {
          console.resize(100, 30);
          console.write("hostname\r".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        proxmox.snapshot(spec.ref(), "before-change", "Taken through Berth");
        proxmox.snapshots(spec.ref());
        proxmox.rollback(spec.ref(), "before-change");
        proxmox.deleteSnapshot(spec.ref(), "before-change");
        proxmox.shutdown(spec.ref(), Duration.ofSeconds(30));
        proxmox.start(spec.ref());
        proxmox.stop(spec.ref());
        proxmox.delete(spec.ref());
      }

      List<JournalEntry> calls = cluster.journal();
      List<String> kinds = new ArrayList<>();
      List<String> violations = new ArrayList<>();
      for (JournalEntry call : calls) {
        kinds.add(call.method() + " " + call.path().replaceAll("\\d{3,}|UPID:[^/]+|sim\\d", "*"));
        violations.addAll(schema.get().violations(call.method(), call.path(), call.parameters()));
      }
      assertThat(kinds)
          .contains(
              "GET /version",
              "GET /cluster/resources",
              "POST /nodes/*/qemu/*/clone",
              "PUT /nodes/*/qemu/*/config",
              "PUT /nodes/*/qemu/*/resize",
              "POST /nodes/*/lxc",
              "PUT /nodes/*/lxc/*/config",
              "GET /nodes/*/tasks/*/status",
              "POST /nodes/*/qemu/*/status/start",
              "POST /nodes/*/lxc/*/status/shutdown",
              "POST /nodes/*/qemu/*/snapshot",
              "GET /nodes/*/lxc/*/snapshot",
              "POST /nodes/*/qemu/*/snapshot/before-change/rollback",
              "DELETE /nodes/*/lxc/*/snapshot/before-change",
              "DELETE /nodes/*/qemu/*",
              "DELETE /nodes/*/lxc/*",
              "POST /access/ticket",
              "GET /nodes/*/qemu/*/config",
              "POST /nodes/*/qemu/*/termproxy",
              "POST /nodes/*/lxc/*/termproxy",
              "GET /nodes/*/qemu/*/vncwebsocket",
              "GET /nodes/*/lxc/*/vncwebsocket");
      assertThat(violations).as("calls Proxmox would refuse").isEmpty();
      assertThat(schema.get().unknownFormats())
          .as("formats of the adapter's parameters the checker could not check")
          .isEmpty();
    }
  }
}
