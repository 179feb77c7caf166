package org.berth.requests.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.identity.Role;
import org.berth.platform.rest.JsonFields;
import org.berth.requests.control.NotAllowed;
import org.berth.requests.control.QuotaLimits;

/**
 * {@code /api/quotas}: each person's limits and use. Everyone may read their own; admins read all
 * and set or clear overrides of the configured default.
 */
@Path("quotas")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

  @Inject Quotas quotas;
  @Inject CurrentUser currentUser;

  @GET
  @RolesAllowed(Role.ADMIN)
  public JsonObject all() {
    JsonArrayBuilder people = Json.createArrayBuilder();
    quotas.all().forEach(s -> people.add(json(s)));
    return Json.createObjectBuilder().add("quotas", people).build();
  }

  @GET
  @Path("{user}")
  public JsonObject get(@PathParam("user") String user) {
    Account caller = currentUser.account().orElseThrow();
    if (!caller.isAdmin() && !caller.username().equals(user)) {
      throw new NotAllowed("You may read only your own quota");
    }
    return json(quotas.standing(user));
  }

  /** Sets an override: {@code {"guests","cores","memoryMiB","diskGiB"}}, each 0 or more. */
  @PUT
  @Path("{user}")
  @RolesAllowed(Role.ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  public JsonObject set(@PathParam("user") String user, JsonObject body) {
    JsonFields fields = JsonFields.of(body);
    int guests = count(fields, "guests");
    int cores = count(fields, "cores");
    int memory = count(fields, "memoryMiB");
    int disk = count(fields, "diskGiB");
    fields.check();
    return json(
        quotas.set(
            user,
            new QuotaLimits(guests, cores, memory, disk),
            currentUser.account().orElseThrow().username()));
  }

  /** Clears an override: the default applies again. */
  @DELETE
  @Path("{user}")
  @RolesAllowed(Role.ADMIN)
  public JsonObject clear(@PathParam("user") String user) {
    return json(quotas.clear(user));
  }

  /** A limit: a whole number from 0 to 2^30 - 1, which must be given. */
  private static int count(JsonFields fields, String field) {
    Long n = fields.whole(field, "must be a whole number of 0 or more");
    if (n == null) {
      if (!fields.problems().containsKey(field)) {
        fields.refuse(field, "must be a whole number of 0 or more");
      }
      return 0;
    }
    if (n < 0 || n > 1073741823) {
      fields.refuse(field, "must be between 0 and 1073741823");
      return 0;
    }
    return n.intValue();
  }

  private static JsonObject json(Quotas.Standing s) {
    return Json.createObjectBuilder()
        .add("user", s.username())
        .add("overridden", s.overridden())
        .add("limits", json(s.limits()))
        .add("used", json(s.used()))
        .build();
  }

  private static JsonObject json(QuotaLimits l) {
    return Json.createObjectBuilder()
        .add("guests", l.guests())
        .add("cores", l.cores())
        .add("memoryMiB", l.memoryMib())
        .add("diskGiB", l.diskGib())
        .build();
  }
}
