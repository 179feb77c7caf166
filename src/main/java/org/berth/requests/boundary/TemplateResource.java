package org.berth.requests.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.berth.requests.entity.TemplateSpec;

/** {@code /api/templates}: the templates a new request may use, with their sizes. */
@Path("templates")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TemplateResource {

  @Inject Templates templates;

  @GET
  public JsonArray list() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (TemplateView t : templates.active()) {
      TemplateSpec s = t.spec();
      out.add(
          Json.createObjectBuilder()
              .add("name", s.name())
              .add("kind", s.kind().apiName())
              .add("description", s.description())
              .add("osUser", s.osUser())
              .add("hypervisorRef", s.hypervisorRef())
              .add(
                  "cores",
                  Json.createObjectBuilder()
                      .add("default", s.defaultCores())
                      .add("max", s.maxCores()))
              .add(
                  "memoryMiB",
                  Json.createObjectBuilder()
                      .add("default", s.defaultMemoryMib())
                      .add("max", s.maxMemoryMib()))
              .add(
                  "diskGiB",
                  Json.createObjectBuilder()
                      .add("default", s.defaultDiskGib())
                      .add("max", s.maxDiskGib()))
              .add("maxSnapshots", s.maxSnapshots()));
    }
    return out.build();
  }
}
