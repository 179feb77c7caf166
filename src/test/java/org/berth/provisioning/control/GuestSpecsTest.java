package org.berth.provisioning.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestSpecsTest {

  @Test
  void natMacsAreLocallyAdministeredUnicastAndFollowTheRequestId() {
    assertThat(GuestSpecs.natMac(1)).isEqualTo("02:42:00:00:00:01");
    assertThat(GuestSpecs.natMac(0x01020304L)).isEqualTo("02:42:01:02:03:04");
  }
}
