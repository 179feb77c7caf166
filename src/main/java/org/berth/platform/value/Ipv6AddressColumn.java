package org.berth.platform.value;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores a {@link Ipv6Address} as its canonical text; applied to every attribute of that type. A
 * text column written by hand or by an older version is read in any spelling the type accepts.
 */
@Converter(autoApply = true)
public class Ipv6AddressColumn implements AttributeConverter<Ipv6Address, String> {

  @Override
  public String convertToDatabaseColumn(Ipv6Address value) {
    return value == null ? null : value.toString();
  }

  @Override
  public Ipv6Address convertToEntityAttribute(String text) {
    return text == null ? null : Ipv6Address.parse(text);
  }
}
