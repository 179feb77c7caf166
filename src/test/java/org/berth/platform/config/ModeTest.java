package org.berth.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.berth.testing.MapConfig;
import org.junit.jupiter.api.Test;

class ModeTest {

  static Mode mode(Map<String, String> settings) {
    Mode mode = new Mode();
    mode.config = new MapConfig(settings);
    mode.read();
    return mode;
  }

  @Test
  void theDemoRunsOnTheSimulatedClusterWithoutAnIdentityProvider() {
    Mode mode = mode(Map.of("berth.demo", "true"));

    assertThat(mode.isDemo()).isTrue();
    assertThat(mode.refusal()).isEmpty();
    assertThat(mode.hypervisor()).contains(Mode.HypervisorKind.SIMULATED);
  }

  @Test
  void productionWithoutAnIdentityProviderRefusesNamingIt() {
    Mode mode = mode(Map.of("berth.proxmox.url", "https://pve:8006"));

    assertThat(mode.isDemo()).isFalse();
    assertThat(mode.refusal())
        .hasValueSatisfying(e -> assertThat(e.setting()).isEqualTo("berth.oidc.issuer"));
    assertThat(mode.hypervisor()).isEmpty();
  }

  @Test
  void productionMissingSeveralSettingsNamesThemAllAtOnce() {
    Mode mode = mode(Map.of());

    assertThat(mode.refusals())
        .extracting(InvalidSetting::setting)
        .containsExactly("berth.proxmox.url", "berth.oidc.issuer", "berth.ledger.remote");
    assertThat(mode.hypervisor()).isEmpty();
  }

  @Test
  void productionWithoutTheClientSecretRefusesNamingIt() {
    Mode mode =
        mode(
            Map.of(
                "berth.proxmox.url",
                "https://pve:8006",
                "berth.oidc.issuer",
                "https://kc/realms/b"));

    assertThat(mode.refusal())
        .hasValueSatisfying(e -> assertThat(e.setting()).isEqualTo("berth.oidc.client-secret"));
  }

  @Test
  void productionWithoutAHypervisorRefusesRatherThanSimulate() {
    Mode mode =
        mode(Map.of("berth.oidc.issuer", "https://kc/realms/b", "berth.oidc.client-secret", "s"));

    assertThat(mode.refusal())
        .hasValueSatisfying(e -> assertThat(e.setting()).isEqualTo("berth.proxmox.url"));
  }

  @Test
  void theSimulatedClusterCanBeChosenOnPurposeInProduction() {
    Mode mode =
        mode(
            Map.of(
                "berth.oidc.issuer", "https://kc/realms/b",
                "berth.oidc.client-secret-file", "/etc/berth/secret",
                "berth.ledger.remote", "ssh://git@git.example.org/it/ledger.git",
                "berth.hypervisor", "simulated"));

    assertThat(mode.refusal()).isEmpty();
    assertThat(mode.hypervisor()).contains(Mode.HypervisorKind.SIMULATED);
  }

  @Test
  void productionWithoutALedgerRemoteRefusesRatherThanMakeTheDemoLedger() {
    Mode mode =
        mode(
            Map.of(
                "berth.oidc.issuer", "https://kc/realms/b",
                "berth.oidc.client-secret", "s",
                "berth.hypervisor", "simulated"));

    assertThat(mode.refusal())
        .hasValueSatisfying(
            e -> {
              assertThat(e.setting()).isEqualTo("berth.ledger.remote");
              assertThat(e.getMessage()).contains("only the demo makes one from ipam-seed");
            });
  }

  @Test
  void aMisspeltSwitchIsRefusedNotReadAsFalse() {
    assertThat(mode(Map.of("berth.demo", "yes")).refusal())
        .hasValueSatisfying(e -> assertThat(e.setting()).isEqualTo("berth.demo"));
    assertThat(mode(Map.of("berth.demo", "true", "berth.hypervisor", "proxmx")).refusal())
        .hasValueSatisfying(
            e -> {
              assertThat(e.setting()).isEqualTo("berth.hypervisor");
              assertThat(e.getMessage()).contains("proxmox, libvirt or simulated");
            });
  }

  @Test
  void libvirtIsChosenWithItsHostsAndRefusedWithoutThem() {
    assertThat(mode(Map.of("berth.demo", "true", "berth.hypervisor", "libvirt")).refusal())
        .hasValueSatisfying(e -> assertThat(e.setting()).isEqualTo("berth.libvirt.nodes"));
    assertThat(
            mode(Map.of(
                    "berth.demo",
                    "true",
                    "berth.hypervisor",
                    "libvirt",
                    "berth.libvirt.nodes",
                    "kvm1"))
                .hypervisor())
        .contains(Mode.HypervisorKind.LIBVIRT);
  }
}
