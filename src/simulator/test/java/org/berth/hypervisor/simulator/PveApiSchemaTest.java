package org.berth.hypervisor.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PveApiSchemaTest {

  private static final Optional<PveApiSchema> LOADED = PveApiSchema.load();

  private static final String ALICE_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEDNg5acFPIG0mVpZbEuarNVPGLWlRQ7nJMdjJEtVGYQ"
          + " alice@laptop";

  /**
   * Alice's key as qemu-server wants sshkeys after the HTTP layer decoded the form: still
   * percent-encoded, as the Proxmox GUI's encodeURIComponent leaves it.
   */
  private static final String ALICE_KEY_URLENCODED =
      "ssh-ed25519%20AAAAC3NzaC1lZDI1NTE5AAAAIEDNg5acFPIG0mVpZbEuarNVPGLWlRQ7nJMdjJEtVGYQ"
          + "%20alice%40laptop%0A";

  private static final String TEMPLATE = "/nodes/sim1/qemu/9000";
  private static final String GUEST = "/nodes/sim1/qemu/123";
  private static final String CONTAINER = "/nodes/sim1/lxc/124";

  private PveApiSchema schema;

  @BeforeEach
  void needsTheSchema() {
    assumeTrue(
        LOADED.isPresent(),
        "no Proxmox API schema at "
            + PveApiSchema.defaultLocation()
            + " (point -D"
            + PveApiSchema.LOCATION_PROPERTY
            + " at pve-api-schema.json)");
    schema = LOADED.get();
  }

  @Test
  void acceptsFullCloneOfTemplate() {
    assertThat(
            schema.violations(
                "POST",
                TEMPLATE + "/clone",
                Map.of(
                    "newid", "123",
                    "name", "guest-42",
                    "full", "1",
                    "storage", "local-lvm",
                    "pool", "berth",
                    "description", "Requested by alice through Berth")))
        .isEmpty();
  }

  @Test
  void acceptsCloudInitConfigOnPostAndPut() {
    Map<String, String> config =
        Map.of(
            "net0", "virtio=BC:24:11:2E:55:01,bridge=vmbr0",
            "ipconfig0", "ip=192.0.2.10/24,gw=192.0.2.1",
            "ciuser", "debian",
            "sshkeys", ALICE_KEY_URLENCODED,
            "name", "guest-42",
            "tags", "berth;berth-req-42",
            "description", "Requested by alice through Berth\nlease ends 2026-06-30");

    assertThat(schema.violations("POST", GUEST + "/config", config)).isEmpty();
    assertThat(schema.violations("PUT", GUEST + "/config", config)).isEmpty();
  }

  @Test
  void acceptsSshKeysWhoseBase64IsEscapedToo() {
    String key =
        URLEncoder.encode(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8VPWwaH1ImLRZq/lVBg+MHxfZShgUGt4Ah6buR6XAE"
                    + " bob@desk\n",
                StandardCharsets.UTF_8)
            .replace("+", "%20");

    assertThat(key).contains("%2F", "%2B");
    assertThat(schema.violations("POST", GUEST + "/config", Map.of("sshkeys", key))).isEmpty();
  }

  @Test
  void acceptsContainerCreate() {
    assertThat(
            schema.violations(
                "POST",
                "/nodes/sim1/lxc",
                Map.ofEntries(
                    Map.entry("vmid", "124"),
                    Map.entry("ostemplate", "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"),
                    Map.entry("hostname", "guest-43"),
                    Map.entry(
                        "net0",
                        "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:2E:55:02,ip=192.0.2.11/24,"
                            + "gw=192.0.2.1"),
                    Map.entry("ssh-public-keys", ALICE_KEY + "\n"),
                    Map.entry("rootfs", "local-lvm:8"),
                    Map.entry("unprivileged", "1"),
                    Map.entry("cores", "2"),
                    Map.entry("memory", "1024"),
                    Map.entry("tags", "berth;berth-req-43"))))
        .isEmpty();
  }

  @Test
  void acceptsTaskStatusWithUpidInPath() {
    String upid = "UPID:sim1:0000A1B2:0012C3D4:6740A1B2:qmclone:9000:root@pam!berth:";

    assertThat(schema.violations("GET", "/nodes/sim1/tasks/" + upid + "/status", Map.of()))
        .isEmpty();
    assertThat(
            schema.violations(
                "GET",
                "/nodes/sim1/tasks/" + URLEncoder.encode(upid, StandardCharsets.UTF_8) + "/status",
                Map.of()))
        .isEmpty();
  }

  @Test
  void acceptsDestroyWithPurge() {
    Map<String, String> purge = Map.of("purge", "1", "destroy-unreferenced-disks", "1");

    assertThat(schema.violations("DELETE", GUEST, purge)).isEmpty();
    assertThat(schema.violations("DELETE", CONTAINER, purge)).isEmpty();
  }

  @Test
  void acceptsPowerActionsAndReads() {
    for (String guest : List.of(GUEST, CONTAINER)) {
      assertThat(schema.violations("POST", guest + "/status/start", Map.of())).isEmpty();
      assertThat(
              schema.violations(
                  "POST", guest + "/status/shutdown", Map.of("timeout", "60", "forceStop", "1")))
          .isEmpty();
      assertThat(schema.violations("POST", guest + "/status/stop", Map.of())).isEmpty();
      assertThat(schema.violations("POST", guest + "/status/reboot", Map.of())).isEmpty();
      assertThat(schema.violations("GET", guest + "/status/current", Map.of())).isEmpty();
      assertThat(schema.violations("GET", guest + "/config", Map.of())).isEmpty();
    }
    assertThat(schema.violations("GET", "/version", Map.of())).isEmpty();
    assertThat(schema.violations("GET", "/nodes", Map.of())).isEmpty();
    assertThat(schema.violations("GET", "/cluster/resources", Map.of("type", "vm"))).isEmpty();
  }

  @Test
  void refusesUnknownParameter() {
    assertThat(
            schema.violations(
                "POST", TEMPLATE + "/clone", Map.of("newid", "123", "hostname", "guest-42")))
        .singleElement()
        .asString()
        .startsWith("POST /nodes/{node}/qemu/{vmid}/clone: ")
        .contains("hostname: not a parameter of this call");
    assertThat(schema.violations("GET", "/version", Map.of("verbose", "1")))
        .singleElement()
        .asString()
        .contains("verbose: not a parameter of this call");
  }

  @Test
  void refusesCloneWithoutNewid() {
    assertThat(schema.violations("POST", TEMPLATE + "/clone", Map.of("name", "guest-42")))
        .singleElement()
        .asString()
        .contains("newid: required but missing");
  }

  @Test
  void refusesVmidBelow100InPathAndParameters() {
    assertThat(schema.violations("POST", "/nodes/sim1/qemu/99/clone", Map.of("newid", "99")))
        .hasSize(2)
        .anySatisfy(v -> assertThat(v).contains("vmid: '99' is not a pve-vmid"))
        .anySatisfy(v -> assertThat(v).contains("newid: '99' is not a pve-vmid"));
  }

  @Test
  void refusesBadNodeNameInPath() {
    assertThat(schema.violations("GET", "/nodes/sim_1/qemu/123/status/current", Map.of()))
        .singleElement()
        .asString()
        .contains("node: 'sim_1' is not a pve-node");
  }

  @Test
  void refusesMalformedOrMulticastMac() {
    assertThat(
            schema.violations(
                "POST", GUEST + "/config", Map.of("net0", "virtio=ZZ:24:11:2E:55:01,bridge=vmbr0")))
        .singleElement()
        .asString()
        .contains("net0: macaddr 'ZZ:24:11:2E:55:01' is not a mac-addr");
    // Proxmox's mac-addr format takes unicast addresses only
    assertThat(
            schema.violations(
                "POST", GUEST + "/config", Map.of("net0", "virtio=01:00:5E:00:00:01,bridge=vmbr0")))
        .singleElement()
        .asString()
        .contains("net0: macaddr '01:00:5E:00:00:01' is not a mac-addr");
    assertThat(
            schema.violations(
                "POST", "/nodes/sim1/lxc", containerWith("net0", "name=eth0,hwaddr=BC:24:11:2E")))
        .singleElement()
        .asString()
        .contains("net0: hwaddr 'BC:24:11:2E' is not a mac-addr");
  }

  @Test
  void refusesUnknownKeyInNet() {
    assertThat(
            schema.violations(
                "POST",
                GUEST + "/config",
                Map.of("net0", "virtio=BC:24:11:2E:55:01,bridge=vmbr0,speed=10")))
        .singleElement()
        .asString()
        .contains("net0: unknown key 'speed'");
  }

  @Test
  void refusesNicModelGivenTwice() {
    assertThat(
            schema.violations(
                "POST", GUEST + "/config", Map.of("net0", "model=e1000,virtio=BC:24:11:2E:55:01")))
        .singleElement()
        .asString()
        .contains("net0: 'virtio' sets model, which is already set");
  }

  @Test
  void refusesContainerNicWithoutName() {
    assertThat(schema.violations("POST", "/nodes/sim1/lxc", containerWith("net0", "bridge=vmbr0")))
        .singleElement()
        .asString()
        .contains("net0: name is required but missing");
  }

  @Test
  void refusesGatewayWithoutAddress() {
    assertThat(schema.violations("POST", GUEST + "/config", Map.of("ipconfig0", "gw=192.0.2.1")))
        .singleElement()
        .asString()
        .contains("ipconfig0: gw needs ip as well");
  }

  @Test
  void refusesAddressWithImpossiblePrefix() {
    assertThat(
            schema.violations(
                "POST", GUEST + "/config", Map.of("ipconfig0", "ip=192.0.2.10/33,gw=192.0.2.1")))
        .singleElement()
        .asString()
        .contains("ipconfig0: ip '192.0.2.10/33' is not a pve-ipv4-config");
    assertThat(
            schema.violations(
                "POST", GUEST + "/config", Map.of("ipconfig0", "ip=192.0.2.10,gw=192.0.2.1")))
        .singleElement()
        .asString()
        .contains("ipconfig0: ip '192.0.2.10' is not a pve-ipv4-config");
  }

  @Test
  void checksIpv6AddressesAndPrefixes() {
    assertThat(
            schema.violations(
                "POST",
                GUEST + "/config",
                Map.of(
                    "ipconfig1", "ip6=2001:db8:0:42::10/64,gw6=fe80::1", "ipconfig2", "ip6=auto")))
        .isEmpty();
    assertThat(
            schema.violations(
                "POST", GUEST + "/config", Map.of("ipconfig1", "ip6=2001:db8::10/129")))
        .singleElement()
        .asString()
        .contains("ipconfig1: ip6 '2001:db8::10/129' is not a pve-ipv6-config");
    assertThat(
            schema.violations(
                "POST",
                GUEST + "/config",
                Map.of("ipconfig1", "ip6=2001:db8::10/64,gw6=2001:db8:::1")))
        .singleElement()
        .asString()
        .contains("ipconfig1: gw6 '2001:db8:::1' is not an ipv6");
  }

  @Test
  void refusesIndexBeyondTheRange() {
    assertThat(schema.violations("POST", GUEST + "/config", Map.of("ipconfig31", "ip=dhcp")))
        .isEmpty();
    assertThat(
            schema.violations(
                "POST", GUEST + "/config", Map.of("net32", "virtio=BC:24:11:2E:55:01")))
        .singleElement()
        .asString()
        .contains("net32: not a parameter of this call (net[n] takes n from 0 to 31)");
  }

  @Test
  void refusesLiteralPlusInSshKeys() {
    // verify_urlencoded allows only [-%a-zA-Z0-9_.!~*'()]: a '+' (or a space, which is what a
    // '+' in a form body decodes to) is refused before any key is looked at
    String plus =
        "ssh-ed25519+AAAAC3NzaC1lZDI1NTE5AAAAIEDNg5acFPIG0mVpZbEuarNVPGLWlRQ7nJMdjJEtVGYQ";

    assertThat(schema.violations("POST", GUEST + "/config", Map.of("sshkeys", plus)))
        .singleElement()
        .asString()
        .contains("sshkeys: 'ssh-ed25519+AAAA")
        .contains("is not a urlencoded");
    assertThat(
            schema.violations("POST", GUEST + "/config", Map.of("sshkeys", plus.replace('+', ' '))))
        .singleElement()
        .asString()
        .contains("sshkeys:", "is not a urlencoded");
  }

  @Test
  void decodesSshKeysBeforeCheckingThem() {
    // an escaped '+' passes the format, but qemu-server unescapes the value and ssh-keygen
    // refuses the key it gets
    String escapedPlus =
        "ssh-ed25519%2BAAAAC3NzaC1lZDI1NTE5AAAAIEDNg5acFPIG0mVpZbEuarNVPGLWlRQ7nJMdjJEtVGYQ"
            + "%20alice%40laptop";

    assertThat(schema.violations("POST", GUEST + "/config", Map.of("sshkeys", escapedPlus)))
        .singleElement()
        .asString()
        .contains("sshkeys: line 1 'ssh-ed25519+AAAA")
        .contains("is not an OpenSSH public key");
  }

  @Test
  void refusesMangledContainerKey() {
    assertThat(
            schema.violations(
                "POST",
                "/nodes/sim1/lxc",
                containerWith("ssh-public-keys", ALICE_KEY.replaceFirst(" ", "+"))))
        .singleElement()
        .asString()
        .contains("ssh-public-keys: line 1", "is not an OpenSSH public key");
  }

  @Test
  void refusesWordsForTopLevelBooleans() {
    assertThat(schema.violations("POST", "/nodes/sim1/lxc", containerWith("unprivileged", "maybe")))
        .singleElement()
        .asString()
        .contains("unprivileged: 'maybe' is not a boolean");
    // check_type takes only 0 and 1 for a parameter ...
    assertThat(schema.violations("POST", "/nodes/sim1/lxc", containerWith("unprivileged", "true")))
        .singleElement()
        .asString()
        .contains("unprivileged: 'true' is not a boolean");
    // ... while parse_property_string turns on/yes/true into 1 for a key
    assertThat(
            schema.violations(
                "POST",
                GUEST + "/config",
                Map.of("net0", "virtio=BC:24:11:2E:55:01,bridge=vmbr0,firewall=true")))
        .isEmpty();
  }

  @Test
  void refusesBadTag() {
    assertThat(schema.violations("POST", GUEST + "/config", Map.of("tags", "berth;-req 42")))
        .singleElement()
        .asString()
        .contains("tags: 'berth;-req 42' has '-req', which is not a pve-tag");
  }

  @Test
  void refusesPathTheApiLacks() {
    assertThat(schema.violations("POST", GUEST + "/frobnicate", Map.of()))
        .singleElement()
        .asString()
        .isEqualTo("POST /nodes/sim1/qemu/123/frobnicate: no such path in the Proxmox API");
  }

  @Test
  void refusesMethodTheApiLacks() {
    assertThat(schema.violations("DELETE", TEMPLATE + "/clone", Map.of()))
        .singleElement()
        .asString()
        .isEqualTo(
            "DELETE /nodes/{node}/qemu/{vmid}/clone: Proxmox offers no DELETE here (only POST)");
  }

  @Test
  void listsFormatsItCannotCheck() {
    PveApiSchema fresh = PveApiSchema.read(PveApiSchema.defaultLocation());

    assertThat(fresh.violations("POST", GUEST + "/config", Map.of("boot", "order=scsi0;net0")))
        .isEmpty();
    assertThat(fresh.unknownFormats()).contains("pve-qm-boot");
  }

  @Test
  void translatesEveryPatternOfTheSchema() {
    assertThat(PveApiSchema.read(PveApiSchema.defaultLocation()).unknownFormats())
        .noneMatch(entry -> entry.startsWith("pattern "));
  }

  private static Map<String, String> containerWith(String name, String value) {
    return Map.of(
        "vmid",
        "124",
        "ostemplate",
        "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        "rootfs",
        "local-lvm:8",
        name,
        value);
  }
}
