package org.berth.platform.value;

import jakarta.persistence.Converter;

/** Stores every attribute of type {@link MacAddress} as its canonical text. */
@Converter(autoApply = true)
public class MacAddressColumn extends TextColumn<MacAddress> {

  public MacAddressColumn() {
    super(MacAddress::of);
  }
}
