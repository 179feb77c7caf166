package org.berth.platform.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  void ipv4AddressesAreNumbersAndBackAcrossTheWholeRange() {
    assertThat(Ipv4Address.parse("0.0.0.0").bits()).isZero();
    assertThat(Ipv4Address.parse("192.0.2.1").bits()).isEqualTo(3221225985L);
    assertThat(Ipv4Address.parse("255.255.255.255").bits()).isEqualTo(0xffffffffL);
    assertThat(new Ipv4Address(3221225985L)).hasToString("192.0.2.1");
    assertThat(Ipv4Address.parse("10.77.0.255").plus(1)).hasToString("10.77.1.0");
    assertThat(Ipv4Address.parse(" 10.0.0.1 ")).isEqualTo(new Ipv4Address(0x0a000001L));
  }

  @Test
  void textThatIsNoIpv4AddressIsRefusedNamingItAndTheRule() {
    for (String bad : new String[] {"10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.1.", "", null}) {
      assertThatThrownBy(() -> Ipv4Address.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not an IPv4 address (four numbers 0 to 255");
    }
    assertThatThrownBy(() -> Ipv4Address.parse("255.255.255.255").plus(1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPrefixKnowsItsSubnetAndWhatIsInside() {
    Ipv4Prefix p = Ipv4Prefix.parse("10.77.0.9/29");
    assertThat(p.hasHostBits()).isTrue();
    assertThat(p.subnet()).hasToString("10.77.0.8/29");
    assertThat(p.network()).hasToString("10.77.0.8");
    assertThat(p.broadcast()).hasToString("10.77.0.15");
    assertThat(p.size()).isEqualTo(8);
    assertThat(p.contains(Ipv4Address.parse("10.77.0.15"))).isTrue();
    assertThat(p.contains(Ipv4Address.parse("10.77.0.16"))).isFalse();
    assertThat(p.offsetOf(Ipv4Address.parse("10.77.0.11"))).isEqualTo(3);
    assertThat(Ipv4Prefix.parse("0.0.0.0/0").broadcast()).hasToString("255.255.255.255");
    for (String bad : new String[] {"10.77.0.0", "10.77.0.0/", "10.77.0.0/33", "10.77.0/24"}) {
      assertThatThrownBy(() -> Ipv4Prefix.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void ipv6AddressesHaveOneCanonicalSpelling() {
    assertThat(Ipv6Address.parse("2001:DB8:0:0::10")).isEqualTo(Ipv6Address.parse("2001:db8::10"));
    assertThat(Ipv6Address.parse("2001:DB8:0:0::10")).hasToString("2001:db8::10");
    assertThat(
            Ipv6Address.embedding(
                Ipv6Address.parse("2001:db8:0:160::"), Ipv4Address.parse("192.0.2.10")))
        .hasToString("2001:db8:0:160::c000:20a");
    for (String bad : new String[] {"192.0.2.1", "2001:db8::/64", "fe80::1%eth0", "::g"}) {
      assertThatThrownBy(() -> Ipv6Address.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not an IPv6 address");
    }
  }

  @Test
  void macAddressesCountAsNumbersAndHaveOneCanonicalSpelling() {
    MacAddress m = MacAddress.of("02-BE-27-00-00-FF");
    assertThat(m).hasToString("02:be:27:00:00:ff");
    assertThat(MacAddress.of("02be.2700.00ff")).isEqualTo(m);
    assertThat(MacAddress.ofBits(m.bits() + 1)).hasToString("02:be:27:00:01:00");
    assertThat(MacAddress.ofBits(0xffff_ffff_ffffL)).hasToString("ff:ff:ff:ff:ff:ff");
  }

  @Test
  void theColumnsStoreTheCanonicalTextAndReadAnySpelling() {
    assertThat(new MacAddressColumn().convertToDatabaseColumn(MacAddress.of("02:BE:27:00:00:05")))
        .isEqualTo("02:be:27:00:00:05");
    assertThat(new MacAddressColumn().convertToEntityAttribute("02:BE:27:00:00:05"))
        .isEqualTo(MacAddress.of("02:be:27:00:00:05"));
    assertThat(new Ipv6AddressColumn().convertToEntityAttribute("2001:DB8::1"))
        .hasToString("2001:db8::1");
    assertThat(new Ipv4AddressColumn().convertToDatabaseColumn(null)).isNull();
    assertThat(new Ipv4AddressColumn().convertToEntityAttribute(null)).isNull();
  }

  @Test
  void aGuestPlaceHoldsAVmidOfTheClustersRange() {
    assertThat(new GuestPlace("pve1", 100)).hasToString("100 on pve1");
    assertThatThrownBy(() -> new GuestPlace("pve1", 99))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GuestPlace(" ", 100)).isInstanceOf(IllegalArgumentException.class);
  }
}
