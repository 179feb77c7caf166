package org.berth.ledger.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRulesTest {

  static final AddressRules RULES =
      AddressRules.of("192.0.2.0/24, 2001:db8:0:160::/64", "10.77.0.0/24");

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, is a loopback address",
    "::1, is a loopback address",
    "169.254.10.1, is a link-local address",
    "fe80::1, is a link-local address",
    "224.0.0.5, is a multicast address",
    "ff02::1, is a multicast address",
    "0.0.0.0, is the unspecified address",
    "::, is the unspecified address",
    "255.255.255.255, is the broadcast address",
    "10.77.0.3, is inside the NAT network 10.77.0.0/24",
    "198.51.100.7, is outside the guest networks (berth.ledger.guest-networks)",
    "2001:db8:0:161::5, is outside the guest networks (berth.ledger.guest-networks)"
  })
  void refusesAddressesTheJumpHostCouldNotTrust(String address, String rule) {
    assertThat(RULES.problem(address)).contains(rule);
    assertThat(RULES.reachable(address)).isEqualTo(address.startsWith("10.77."));
  }

  @ParameterizedTest
  @CsvSource({"192.0.2.22", "2001:db8:0:160::83ad:1705"})
  void acceptsAddressesInsideTheGuestNetworks(String address) {
    assertThat(RULES.problem(address)).isEmpty();
    assertThat(RULES.reachable(address)).isTrue();
  }

  @Test
  void withoutGuestNetworksOnlySpecialRangesAreRefused() {
    assertThat(AddressRules.SPECIAL_RANGES_ONLY.problem("198.51.100.7")).isEmpty();
    assertThat(AddressRules.SPECIAL_RANGES_ONLY.problem("127.0.0.1")).isPresent();
  }

  @Test
  void aNetworkThatIsNoneIsRefusedByName() {
    assertThatThrownBy(() -> AddressRules.of("192.0.2.0/24, example.org", null))
        .hasMessageContaining("'example.org' is not a network");
    assertThatThrownBy(() -> AddressRules.of("192.0.2.1", null))
        .hasMessageContaining("'192.0.2.1' is not a network");
  }
}
