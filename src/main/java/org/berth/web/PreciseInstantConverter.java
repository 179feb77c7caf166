package org.berth.web;

import jakarta.faces.convert.FacesConverter;
import java.time.Instant;

/**
 * Shows an {@link Instant} to the second, {@code 2026-11-21 09:30:07 UTC}, where steps a few
 * seconds apart must read apart (the provisioning log). Output only.
 */
@FacesConverter("berth.preciseInstant")
public class PreciseInstantConverter extends InstantConverter {

  public PreciseInstantConverter() {
    super("yyyy-MM-dd HH:mm:ss 'UTC'");
  }
}
