package org.berth.platform.value;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores a {@link MacAddress} as its canonical text; applied to every attribute of that type. A
 * text column written by hand or by an older version is read in any spelling the type accepts.
 */
@Converter(autoApply = true)
public class MacAddressColumn implements AttributeConverter<MacAddress, String> {

  @Override
  public String convertToDatabaseColumn(MacAddress value) {
    return value == null ? null : value.toString();
  }

  @Override
  public MacAddress convertToEntityAttribute(String text) {
    return text == null ? null : MacAddress.of(text);
  }
}
