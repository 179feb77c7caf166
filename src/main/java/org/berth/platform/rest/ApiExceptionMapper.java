package org.berth.platform.rest;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;

/**
 * Turns every exception that leaves a resource into the API's error shape. A refusal about request
 * fields (invalid input, a taken name or entry) adds a {@code fields} object of field name to rule.
 * Client errors keep their status and message; anything unexpected is logged with an incident id
 * and answered with that id only, so no internal detail or secret reaches the caller.
 */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class.getName());

  @Override
  public Response toResponse(Throwable exception) {
    if (exception instanceof Refusal api) {
      java.util.Map<String, String> named =
          api instanceof InvalidInput invalid
              ? invalid.fields()
              : api.field() == null
                  ? java.util.Map.of()
                  : java.util.Map.of(api.field(), api.rule());
      if (named.isEmpty()) {
        return respond(status(api.kind()), new ApiError(api.code(), api.getMessage()));
      }
      JsonObjectBuilder fields = Json.createObjectBuilder();
      named.forEach(fields::add);
      return Response.status(status(api.kind()))
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(
              Json.createObjectBuilder()
                  .add("error", api.code())
                  .add("message", api.getMessage())
                  .add("fields", fields)
                  .build()
                  .toString())
          .build();
    }
    if (exception instanceof jakarta.json.JsonException
        || exception instanceof jakarta.ws.rs.ProcessingException) {
      return respond(400, new ApiError("bad_request", "The body is not valid JSON"));
    }
    if (exception instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      int status = web.getResponse().getStatus();
      Response.ResponseBuilder builder = Response.fromResponse(web.getResponse());
      return builder
          .entity(new ApiError(ApiError.codeFor(status), messageFor(status, web)).toJson())
          .type(MediaType.APPLICATION_JSON_TYPE)
          .build();
    }
    String incident = UUID.randomUUID().toString().substring(0, 8);
    LOG.log(Level.SEVERE, "API request failed, incident " + incident, exception);
    return respond(
        500,
        new ApiError(
            "internal_error", "Berth could not complete the request (incident " + incident + ")"));
  }

  /** The one place where a kind of refusal becomes an HTTP status. */
  static int status(Refusal.Kind kind) {
    return switch (kind) {
      case INVALID -> 400;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case UNAVAILABLE -> 503;
    };
  }

  private static String messageFor(int status, WebApplicationException web) {
    return switch (status) {
      case 401 -> {
        String challenge = String.valueOf(web.getResponse().getHeaderString("WWW-Authenticate"));
        yield challenge.contains("webhook")
            ? "Wrong or missing webhook token"
            : challenge.contains("jump host")
                ? "Wrong or missing jump host token: send Authorization: Bearer with the value of"
                    + " berth.jumphost.token"
                : "Sign in: send a personal API token as Authorization: Bearer <token>";
      }
      case 403 -> "You are not allowed to do this";
      case 404 -> "No such resource";
      case 405 -> "This method is not allowed here";
      case 406 -> "Berth answers in application/json";
      case 415 -> "Send application/json";
      default -> web.getMessage() == null ? "Bad request" : web.getMessage();
    };
  }

  static Response respond(int status, ApiError error) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(error.toJson())
        .build();
  }
}
