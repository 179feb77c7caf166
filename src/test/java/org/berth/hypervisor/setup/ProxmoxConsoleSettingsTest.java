package org.berth.hypervisor.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.berth.hypervisor.GuestConsole;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Mode;
import org.berth.testing.MapConfig;
import org.junit.jupiter.api.Test;

/** The console user of a Proxmox VE cluster: checked at start-up, and consoles only with it. */
class ProxmoxConsoleSettingsTest {

  static Hypervisors start(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("berth.proxmox.url", "https://pve1.example.com:8006");
    settings.put("berth.proxmox.token-id", "berth@pve!berth");
    settings.put("berth.proxmox.token-secret", "token-secret-0123");
    settings.put("berth.proxmox.connect-timeout-seconds", "2");
    settings.putAll(extra);
    Hypervisors hypervisors = new Hypervisors();
    hypervisors.config = new MapConfig(settings);
    hypervisors.registry = new SimpleMeterRegistry();
    hypervisors.mode =
        new Mode() {
          @Override
          public Optional<HypervisorKind> hypervisor() {
            return Optional.of(HypervisorKind.PROXMOX);
          }
        };
    hypervisors.connect();
    return hypervisors;
  }

  /**
   * The console user and password as set reach Proxmox: a terminal opens on a guest of a simulated
   * cluster that knows that user, and one with the settings swapped does not.
   */
  @Test
  void withAConsoleUserAndItsPasswordATerminalOpens() throws Exception {
    try (SimulatedProxmox cluster =
        SimulatedProxmox.start(
            SimulatorSettings.defaults()
                .withToken("berth@pve!berth", "token-secret-0123")
                .withConsoleUser("berth-console@pve", "console-secret-4567")
                .withTaskDuration(Duration.ZERO))) {
      cluster.addForeignGuest(100, "sim1", "lxc", "box-1");
      GuestRef ref = new GuestRef(GuestType.CONTAINER, "sim1", 100);
      Hypervisors h =
          start(
              Map.of(
                  "berth.proxmox.url",
                  cluster.url().toString(),
                  "berth.proxmox.console-user",
                  "berth-console@pve",
                  "berth.proxmox.console-password",
                  "console-secret-4567"));
      assertThat(h.hypervisor().offersConsoles()).isTrue();
      h.hypervisor().start(ref);
      try (GuestConsole console = h.hypervisor().console(ref)) {
        byte[] shown = new byte[4096];
        int n = console.output().read(shown);
        assertThat(new String(shown, 0, n, StandardCharsets.UTF_8)).contains("box-1");
      }
      Hypervisors swapped =
          start(
              Map.of(
                  "berth.proxmox.url",
                  cluster.url().toString(),
                  "berth.proxmox.console-user",
                  "berth-console@pve",
                  "berth.proxmox.console-password",
                  "berth-console@pve"));
      assertThatThrownBy(() -> swapped.hypervisor().console(ref))
          .hasMessageContaining("refused the console user berth-console@pve (401");
    }
  }

  @Test
  void withoutAConsoleUserGuestsHaveNone() {
    assertThat(start(Map.of()).hypervisor().offersConsoles()).isFalse();
  }

  @Test
  void anApiTokenIsRefusedAsConsoleUserNamingTheSetting() {
    assertThatThrownBy(
            () ->
                start(
                    Map.of(
                        "berth.proxmox.console-user",
                        "berth@pve!berth",
                        "berth.proxmox.console-password",
                        "console-secret-4567")))
        .isInstanceOfSatisfying(
            InvalidSetting.class,
            e -> assertThat(e.setting()).isEqualTo("berth.proxmox.console-user"))
        .hasMessageContaining("must look like USER@REALM")
        .hasMessageNotContaining("console-secret-4567");
  }

  @Test
  void theUserAndThePasswordGoTogether() {
    assertThatThrownBy(() -> start(Map.of("berth.proxmox.console-user", "berth-console@pve")))
        .isInstanceOfSatisfying(
            InvalidSetting.class,
            e -> assertThat(e.setting()).isEqualTo("berth.proxmox.console-password"));
    assertThatThrownBy(() -> start(Map.of("berth.proxmox.console-password", "console-secret-4567")))
        .isInstanceOfSatisfying(
            InvalidSetting.class,
            e -> assertThat(e.setting()).isEqualTo("berth.proxmox.console-user"))
        .hasMessageNotContaining("console-secret-4567");
  }
}
