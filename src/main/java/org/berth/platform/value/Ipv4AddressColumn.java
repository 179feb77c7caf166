package org.berth.platform.value;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores a {@link Ipv4Address} as its canonical text; applied to every attribute of that type. A
 * text column written by hand or by an older version is read in any spelling the type accepts.
 */
@Converter(autoApply = true)
public class Ipv4AddressColumn implements AttributeConverter<Ipv4Address, String> {

  @Override
  public String convertToDatabaseColumn(Ipv4Address value) {
    return value == null ? null : value.toString();
  }

  @Override
  public Ipv4Address convertToEntityAttribute(String text) {
    return text == null ? null : Ipv4Address.parse(text);
  }
}
