package org.berth.requests.boundary;

import org.berth.requests.entity.Template;
import org.berth.requests.entity.TemplateSpec;

/** A template as pages and the API show it. */
public record TemplateView(long id, boolean active, TemplateSpec spec) {

  static TemplateView of(Template t) {
    return new TemplateView(t.id(), t.active(), t.spec());
  }

  public String name() {
    return spec.name();
  }

  public String label() {
    String d = spec.description().isEmpty() ? "" : " (" + spec.description() + ")";
    return spec.name() + d;
  }
}
