package org.berth.platform.value;

import jakarta.persistence.Converter;

/** Stores every attribute of type {@link Ipv6Address} as its canonical text. */
@Converter(autoApply = true)
public class Ipv6AddressColumn extends TextColumn<Ipv6Address> {

  public Ipv6AddressColumn() {
    super(Ipv6Address::parse);
  }
}
