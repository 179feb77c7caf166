package org.berth.web;

import jakarta.faces.component.UIComponent;
import jakarta.faces.context.FacesContext;
import jakarta.faces.convert.Converter;
import jakarta.faces.convert.ConverterException;
import jakarta.faces.convert.FacesConverter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Shows an {@link Instant} to the second, {@code 2026-11-21 09:30:07 UTC}, where steps a few
 * seconds apart must read apart (the provisioning log). Output only.
 */
@FacesConverter("berth.preciseInstant")
public class PreciseInstantConverter implements Converter<Instant> {

  static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  @Override
  public String getAsString(FacesContext context, UIComponent component, Instant value) {
    return value == null ? "" : FORMAT.format(value);
  }

  @Override
  public Instant getAsObject(FacesContext context, UIComponent component, String value) {
    throw new ConverterException("times are shown, not entered");
  }
}
