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
 * Shows every {@link Instant} on the pages as {@code 2026-11-21 09:30 UTC} ({@code
 * f:convertDateTime} cannot format an Instant). Output only: no page reads times back.
 */
@FacesConverter(forClass = Instant.class)
public class InstantConverter implements Converter<Instant> {

  private final DateTimeFormatter format;

  public InstantConverter() {
    this("yyyy-MM-dd HH:mm 'UTC'");
  }

  protected InstantConverter(String pattern) {
    this.format = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
  }

  @Override
  public String getAsString(FacesContext context, UIComponent component, Instant value) {
    return value == null ? "" : format.format(value);
  }

  @Override
  public Instant getAsObject(FacesContext context, UIComponent component, String value) {
    throw new ConverterException("times are shown, not entered");
  }
}
