package org.berth.platform.value;

import jakarta.persistence.Converter;

/** Stores every attribute of type {@link Ipv4Address} as its canonical text. */
@Converter(autoApply = true)
public class Ipv4AddressColumn extends TextColumn<Ipv4Address> {

  public Ipv4AddressColumn() {
    super(Ipv4Address::parse);
  }
}
