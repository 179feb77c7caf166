package org.berth.identity;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.rest.JsonFields;

/**
 * {@code /api/me}: who the API thinks the caller is, the SSH keys in their profile ({@code
 * /api/me/keys}), which guests are created with and the jump host accepts, and their personal API
 * tokens ({@code /api/me/tokens}).
 */
@Path("me")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

  /** The caller as the API reads back. */
  public record Me(String username, String displayName, List<String> roles) {}

  @Inject CurrentUser currentUser;
  @Inject SshKeys sshKeys;
  @Inject ApiTokens tokens;

  /** The caller's user name, display name and roles. */
  @GET
  public Me me() {
    Account account = caller();
    return new Me(account.username(), account.displayName(), List.copyOf(currentUser.roles()));
  }

  /** The caller's saved keys, oldest first. */
  @GET
  @Path("keys")
  public JsonArray keys() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    sshKeys.of(caller().username()).forEach(k -> out.add(json(k)));
    return out.build();
  }

  /** Saves a key: {@code {"label":…,"key":…}}; 201 with the saved key. */
  @POST
  @Path("keys")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response addKey(JsonObject body) {
    if (body == null) {
      throw new InvalidInput("body", "must be a JSON object with label and key");
    }
    JsonFields fields = JsonFields.of(body);
    String label = fields.text("label");
    String key = fields.text("key");
    fields.check();
    SshKeys.Saved saved = sshKeys.add(caller().username(), label, key);
    return Response.status(Response.Status.CREATED).entity(json(saved)).build();
  }

  /** Removes one of the caller's keys; the jump host refuses it from the next connection on. */
  @DELETE
  @Path("keys/{id}")
  public Response removeKey(@PathParam("id") String id) {
    if (!sshKeys.remove(caller().username(), id(id))) {
      throw new NotFoundException();
    }
    return Response.noContent().build();
  }

  /**
   * The caller's tokens that are not revoked, newest first, with their last use; never the text.
   */
  @GET
  @Path("tokens")
  public JsonArray tokens() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    tokens.of(caller().username()).forEach(t -> out.add(json(t)));
    return out.build();
  }

  /**
   * Creates a personal API token: {@code {"name", "expiresInDays" (1 to 365), "scope": "read" |
   * "write"}}; 201 with the token's text, which is shown this once.
   */
  @POST
  @Path("tokens")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response createToken(JsonObject body) {
    if (currentUser.isPersonalToken()) {
      throw new TokenCannotCreateTokens();
    }
    if (body == null) {
      throw new InvalidInput("body", "must be a JSON object with name, expiresInDays and scope");
    }
    JsonFields fields = JsonFields.of(body);
    String name = fields.text("name");
    Long days = fields.whole("expiresInDays");
    if (days != null && (days < Integer.MIN_VALUE || days > Integer.MAX_VALUE)) {
      fields.refuse("expiresInDays", "must be from 1 to " + ApiTokens.MAX_DAYS);
    }
    String scope = fields.text("scope");
    fields.check();
    ApiTokens.Created created =
        tokens.create(caller().username(), name, days == null ? null : days.intValue(), scope);
    JsonObject out =
        Json.createObjectBuilder(json(created.token())).add("token", created.secret()).build();
    return Response.status(Response.Status.CREATED)
        .entity(out)
        .header("Cache-Control", "no-store")
        .build();
  }

  /** Revokes one of the caller's tokens: 204, or 404 for a token that is not theirs. */
  @DELETE
  @Path("tokens/{id}")
  public Response revokeToken(@PathParam("id") String id) {
    String me = caller().username();
    if (!tokens.revoke(me, id(id), me)) {
      throw new NotFoundException();
    }
    return Response.noContent().build();
  }

  /** A path id; anything but a number names no resource. */
  static long id(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new NotFoundException();
    }
  }

  static JsonObject json(ApiTokens.Listed t) {
    var out =
        Json.createObjectBuilder()
            .add("id", t.id())
            .add("owner", t.username())
            .add("name", t.name())
            .add("scope", t.scope().label())
            .add("hint", t.hint())
            .add("created", t.created().toString())
            .add("expiresAt", t.expiresAt().toString())
            .add("expired", t.isExpired());
    if (t.lastUsed() == null) {
      out.addNull("lastUsed");
    } else {
      out.add("lastUsed", t.lastUsed().toString());
    }
    return out.build();
  }

  private Account caller() {
    return currentUser.account().orElseThrow();
  }

  private static JsonObject json(SshKeys.Saved k) {
    return Json.createObjectBuilder()
        .add("id", k.id())
        .add("label", k.label())
        .add("key", k.publicKey())
        .add("fingerprint", k.fingerprint())
        .add("added", k.added().toString())
        .build();
  }
}
