package org.berth.platform.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4Test {

  @Test
  void addressesAreNumbersAndBackAcrossTheWholeRange() {
    assertThat(Ipv4.bits("0.0.0.0")).isZero();
    assertThat(Ipv4.bits("192.0.2.1")).isEqualTo(3221225985L);
    assertThat(Ipv4.bits("255.255.255.255")).isEqualTo(0xffffffffL);
    assertThat(Ipv4.text(3221225985L)).isEqualTo("192.0.2.1");
    assertThat(Ipv4.text(Ipv4.bits("10.77.0.255") + 1)).isEqualTo("10.77.1.0");
    assertThat(Ipv4.text((int) Ipv4.bits("255.255.255.254"))).isEqualTo("255.255.255.254");
  }

  @Test
  void textThatIsNoAddressIsRefused() {
    assertThatThrownBy(() -> Ipv4.bits("10.0.0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ipv4.bits("10.0.0.256")).isInstanceOf(IllegalArgumentException.class);
  }
}
