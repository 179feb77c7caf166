package org.berth.hypervisor.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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

  @Test
  void withAConsoleUserAndItsPasswordGuestsHaveConsoles() {
    Hypervisors h =
        start(
            Map.of(
                "berth.proxmox.console-user",
                "berth-console@pve",
                "berth.proxmox.console-password",
                "console-secret-4567"));
    assertThat(h.hypervisor().offersConsoles()).isTrue();
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
