package org.berth.provisioning.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;
import org.berth.provisioning.control.GuestSpecs.Network;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.RequestForm;
import org.berth.requests.entity.Template;
import org.junit.jupiter.api.Test;

class GuestSpecsTest {

  static final Network LEDGER =
      new Network("vmbr0", 24, "192.0.2.1", 64, "2001:db8::1", List.of("192.0.2.53"));
  static final Network NAT = new Network("vmbr1", 24, "10.77.0.1", 0, null, List.of("10.77.0.1"));
  static final GuestRef REF = new GuestRef(GuestType.CONTAINER, "sim1", 10001);

  @Test
  void aNatGuestGetsItsAssignedAddressAndMacOnTheInternalBridge() {
    GuestRequest r = nat();
    r.assignNatAddress(
        Ipv4Address.parse("10.77.0.5"), MacAddress.of("02:be:27:00:00:05"), Instant.now());
    GuestSpec spec = GuestSpecs.of(r, REF, LEDGER, NAT);
    assertThat(spec.bridge()).isEqualTo("vmbr1");
    assertThat(spec.mac()).isEqualTo("02:BE:27:00:00:05");
    assertThat(spec.ipv4()).isEqualTo("10.77.0.5/24");
    assertThat(spec.gateway4()).isEqualTo("10.77.0.1");
    assertThat(spec.ipv6()).isNull();
    assertThat(spec.nameservers()).containsExactly("10.77.0.1");
  }

  @Test
  void aNatGuestWithoutAnAssignedAddressIsAPermanentFailure() {
    assertThatThrownBy(() -> GuestSpecs.of(nat(), REF, LEDGER, NAT))
        .isInstanceOfSatisfying(
            HypervisorFailure.class, e -> assertThat(e.transientFailure()).isFalse())
        .hasMessageContaining("no address on the internal network");
  }

  static GuestRequest nat() {
    Template t =
        new Template(
            new org.berth.requests.entity.TemplateSpec(
                "debian-12",
                org.berth.requests.entity.GuestKind.CONTAINER,
                "local:vztmpl/debian-12.tar.zst",
                "root",
                "",
                1,
                4,
                512,
                4096,
                8,
                64,
                true,
                org.berth.requests.entity.TemplateSpec.DEFAULT_SNAPSHOTS));
    RequestForm form =
        new RequestForm(
            org.berth.requests.entity.GuestKind.CONTAINER,
            "web",
            "debian-12",
            1,
            512,
            8,
            org.berth.requests.entity.NetworkMode.NAT,
            null,
            8080,
            List.of("ssh-ed25519 AAAA"),
            7,
            "testing");
    GuestRequest r = new GuestRequest(form, t, "alice", Instant.now());
    try {
      var id = GuestRequest.class.getDeclaredField("id");
      id.setAccessible(true);
      id.set(r, 42L);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    return r;
  }
}
