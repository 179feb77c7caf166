package org.berth.identity;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;

/**
 * {@code /api/people} (admins): everyone who has signed in, with their roles as last seen, live
 * tokens and last sign-in; blocking and unblocking ({@code PUT} and {@code DELETE
 * /api/people/{username}/block}); and anyone's tokens ({@code GET /api/people/{username}/tokens},
 * {@code DELETE /api/people/{username}/tokens/{id}}).
 */
@Path("people")
@RequestScoped
@RolesAllowed(Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class PeopleResource {

  @Inject People people;
  @Inject ApiTokens tokens;
  @Inject CurrentUser currentUser;

  @GET
  public JsonArray all() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    people.all().forEach(p -> out.add(json(p)));
    return out.build();
  }

  @GET
  @Path("{username}")
  public JsonObject one(@PathParam("username") String username) {
    return json(people.summary(username).orElseThrow(NotFoundException::new));
  }

  /** Blocks a person: their pages, API tokens and jump host keys stop at once. 204. */
  @PUT
  @Path("{username}/block")
  public Response block(@PathParam("username") String username) {
    people.block(username, me());
    return Response.noContent().build();
  }

  /** Lifts a block: 204, or 404 when the person was not blocked. */
  @DELETE
  @Path("{username}/block")
  public Response unblock(@PathParam("username") String username) {
    if (!people.unblock(username)) {
      throw new NotFoundException();
    }
    return Response.noContent().build();
  }

  @GET
  @Path("{username}/tokens")
  public JsonArray tokens(@PathParam("username") String username) {
    JsonArrayBuilder out = Json.createArrayBuilder();
    tokens.of(username).forEach(t -> out.add(MeResource.json(t)));
    return out.build();
  }

  /** Revokes anyone's token: 204, or 404 when that person has no such live token. */
  @DELETE
  @Path("{username}/tokens/{id}")
  public Response revoke(@PathParam("username") String username, @PathParam("id") String id) {
    if (!tokens.revoke(username, MeResource.id(id), me())) {
      throw new NotFoundException();
    }
    return Response.noContent().build();
  }

  private String me() {
    return currentUser.account().orElseThrow().username();
  }

  private static JsonObject json(People.Summary p) {
    JsonArrayBuilder roles = Json.createArrayBuilder();
    p.roles().forEach(roles::add);
    JsonObjectBuilder out =
        Json.createObjectBuilder()
            .add("username", p.username())
            .add("displayName", p.displayName())
            .add("roles", roles)
            .add("blocked", p.blocked())
            .add("liveTokens", p.liveTokens());
    optional(out, "email", p.email());
    optional(out, "firstSeen", p.firstSeen());
    optional(out, "lastSeen", p.lastSeen());
    optional(out, "lastSignIn", p.lastSignIn());
    optional(out, "blockedBy", p.blockedBy());
    return out.build();
  }

  private static void optional(JsonObjectBuilder out, String name, Object value) {
    if (value == null) {
      out.addNull(name);
    } else if (value instanceof OffsetDateTime t) {
      out.add(name, t.toInstant().toString());
    } else {
      out.add(name, value.toString());
    }
  }
}
