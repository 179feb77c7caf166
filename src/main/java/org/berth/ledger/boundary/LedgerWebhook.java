package org.berth.ledger.boundary;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.platform.rest.SharedSecret;

/**
 * Push notifications from the Git server, so commits people push show up at once rather than at the
 * next periodic fetch. Both check the shared secret {@code berth.ledger.webhook-token}; a wrong or
 * missing one is 401 and nothing is fetched. The sync runs after the answer.
 */
@Path("ledger/webhook")
@RequestScoped
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class LedgerWebhook {

  private static final Logger LOG = Logger.getLogger(LedgerWebhook.class.getName());

  @Inject Ledger ledger;

  /** GitLab's push event, with the secret in {@code X-Gitlab-Token}. */
  @POST
  @Path("gitlab")
  @Consumes(MediaType.WILDCARD)
  public Response gitlab(@HeaderParam("X-Gitlab-Token") String token, String body) {
    requireToken(token); // before the body is even read
    JsonObject event = parse(body);
    String kind = event == null ? null : event.getString("object_kind", null);
    String ref = event == null ? null : event.getString("ref", null);
    String branch = ledger.settings().map(s -> "refs/heads/" + s.branch()).orElse(null);
    if (!"push".equals(kind) || ref == null || !ref.equals(branch)) {
      return accepted("ignored: not a push to " + branch);
    }
    ledger.requestSync();
    return accepted("sync requested");
  }

  /**
   * Any Git server's push hook: the secret in {@code X-Berth-Token} or as {@code Authorization:
   * Bearer}; the body is not read.
   */
  @POST
  @Consumes(MediaType.WILDCARD)
  public Response generic(
      @HeaderParam("X-Berth-Token") String token,
      @HeaderParam("Authorization") String authorization) {
    String given = token != null ? token : SharedSecret.bearer(authorization);
    requireToken(given);
    ledger.requestSync();
    return accepted("sync requested");
  }

  private static JsonObject parse(String body) {
    try (var reader = Json.createReader(new java.io.StringReader(body == null ? "" : body))) {
      return reader.readObject();
    } catch (RuntimeException e) {
      throw new org.berth.platform.refusal.InvalidInput(
          "body", "must be GitLab's push event in JSON");
    }
  }

  private void requireToken(String token) {
    if (!ledger.webhookTokenMatches(token)) {
      LOG.log(Level.WARNING, "Ledger webhook refused: wrong or missing token");
      throw new NotAuthorizedException("Bearer realm=\"Berth webhook\"");
    }
  }

  private static Response accepted(String status) {
    return Response.accepted(Json.createObjectBuilder().add("status", status).build()).build();
  }
}
