package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.berth.platform.value.GuestPlace;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestState;
import org.junit.jupiter.api.Test;

class AnsibleInventoryTest {

  static RequestView guest(
      long id, String name, RequestState state, NetworkMode mode, String owner, String node) {
    return new RequestView(
        id,
        owner,
        state,
        GuestKind.VM,
        name,
        "Debian 12.x",
        "debian",
        1,
        1024,
        10,
        mode,
        null,
        mode == NetworkMode.LEDGER ? name + ".example.com" : null,
        Ipv4Address.parse(mode == NetworkMode.NAT ? "10.77.0.5" : "192.0.2.5"),
        null,
        MacAddress.of("52:54:00:00:00:05"),
        false,
        null,
        null,
        List.of(),
        5,
        Instant.parse("2026-12-10T00:00:00Z"),
        "tests",
        null,
        new GuestPlace(node, 100),
        Instant.EPOCH,
        Instant.EPOCH,
        0,
        List.of());
  }

  @Test
  void groupsByKindTemplateNodeAndOwnerWithValidGroupNamesAndReachesNatGuestsThroughTheJumpHost() {
    AccessPoints points = new AccessPoints("guests.example.org", "jump.example.org", 2222, 22);

    JsonObject inventory =
        AnsibleInventory.of(
            List.of(
                guest(1, "web", RequestState.READY, NetworkMode.NAT, "alice", "pve-1"),
                guest(2, "db", RequestState.READY, NetworkMode.LEDGER, "alice", "pve-2"),
                guest(3, "gone", RequestState.DELETED, NetworkMode.LEDGER, "alice", "pve-2")),
            points);

    assertThat(inventory.keySet())
        .containsExactlyInAnyOrder(
            "_meta",
            "all",
            "kind_vm",
            "template_debian_12_x",
            "node_pve_1",
            "node_pve_2",
            "owner_alice");
    assertThat(inventory.getJsonObject("all").getJsonArray("children")).hasSize(5);
    JsonObject vars = inventory.getJsonObject("_meta").getJsonObject("hostvars");
    assertThat(vars.keySet()).containsExactlyInAnyOrder("web", "db");
    assertThat(vars.getJsonObject("web").getString("ansible_ssh_common_args"))
        .isEqualTo("-o ProxyJump=alice@jump.example.org:2222");
    assertThat(vars.getJsonObject("web").getString("ansible_host")).isEqualTo("10.77.0.5");
    assertThat(vars.getJsonObject("db").getString("ansible_host")).isEqualTo("db.example.com");
    assertThat(vars.getJsonObject("db").getString("berth_lease_ends"))
        .isEqualTo("2026-12-10T00:00:00Z");
  }

  @Test
  void natGuestsAreLeftOutWhenNoJumpHostIsConfigured() {
    JsonObject inventory =
        AnsibleInventory.of(
            List.of(guest(1, "web", RequestState.READY, NetworkMode.NAT, "alice", "pve-1")),
            new AccessPoints(null, null, 22, 22));

    assertThat(inventory.getJsonObject("_meta").getJsonObject("hostvars")).isEmpty();
    assertThat(inventory.getJsonObject("all").getJsonArray("children")).isEmpty();
  }
}
