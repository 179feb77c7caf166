package org.berth.identity;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
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
import org.berth.platform.rest.InvalidInput;

/**
 * {@code /api/me}: who the API thinks the caller is, and the SSH keys in their profile ({@code
 * /api/me/keys}), which guests are created with and the jump host accepts.
 */
@Path("me")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

  /** The caller as the API reads back. */
  public record Me(String username, String displayName, List<String> roles) {}

  @Inject CurrentUser currentUser;
  @Inject SshKeys sshKeys;

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
    SshKeys.Saved saved =
        sshKeys.add(caller().username(), string(body, "label"), string(body, "key"));
    return Response.status(Response.Status.CREATED).entity(json(saved)).build();
  }

  /** Removes one of the caller's keys; the jump host refuses it from the next connection on. */
  @DELETE
  @Path("keys/{id}")
  public Response removeKey(@PathParam("id") String id) {
    long keyId;
    try {
      keyId = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new NotFoundException();
    }
    if (!sshKeys.remove(caller().username(), keyId)) {
      throw new NotFoundException();
    }
    return Response.noContent().build();
  }

  /** An absent or null field reads as null (the key store names it); another type is refused. */
  private static String string(JsonObject body, String field) {
    JsonValue v = body.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw new InvalidInput(field, "must be a string");
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
