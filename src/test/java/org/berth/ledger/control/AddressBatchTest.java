package org.berth.ledger.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressBatchTest {

  @Test
  void generatesConsecutiveEntriesFromARange() {
    List<LedgerFile.NewEntry> entries =
        new AddressBatch("192.0.2.254-192.0.3.1", "", "52:54:00:be:00:fe", "vm{n}.example.com", 9)
            .entries();

    assertThat(entries)
        .extracting(e -> e.host() + " " + e.ipv4() + " " + e.mac())
        .containsExactly(
            "vm9.example.com 192.0.2.254 52:54:00:be:00:fe",
            "vm10.example.com 192.0.2.255 52:54:00:be:00:ff",
            "vm11.example.com 192.0.3.0 52:54:00:be:01:00",
            "vm12.example.com 192.0.3.1 52:54:00:be:01:01");
  }

  @Test
  void aCidrBlockLeavesOutNetworkAndBroadcastAddresses() {
    List<LedgerFile.NewEntry> entries =
        new AddressBatch(
                "192.0.2.128/29", "2001:db8::/64", "52-54-00-00-00-01", "t{n:02}.example.com", 1)
            .entries();

    assertThat(entries).hasSize(6);
    assertThat(entries.get(0).ipv4()).hasToString("192.0.2.129");
    assertThat(entries.get(0).ipv6()).hasToString("2001:db8::c000:281");
    assertThat(entries.get(5).ipv4()).hasToString("192.0.2.134");
    assertThat(entries.get(5).host().value()).isEqualTo("t06.example.com");
  }

  @Test
  void namesEveryWrongFieldWithItsRule() {
    assertThatThrownBy(
            () ->
                new AddressBatch("10.0.0.0/8", "2001:db8::/120", "nope", "fixed.example.com", -1)
                    .entries())
        .isInstanceOfSatisfying(
            InvalidBatchSpec.class,
            e ->
                assertThat(e.fields())
                    .containsOnlyKeys(
                        "ipv4", "ipv6Prefix", "macStart", "hostPattern", "firstNumber"));
  }

  @Test
  void refusesHostNamesThePatternWouldMakeInvalid() {
    assertThatThrownBy(
            () ->
                new AddressBatch("192.0.2.1", null, "52:54:00:00:00:01", "bad_{n}.example.com", 1)
                    .entries())
        .isInstanceOfSatisfying(
            InvalidBatchSpec.class, e -> assertThat(e.fields()).containsKey("hostPattern"));
  }
}
