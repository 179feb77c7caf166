package org.berth.platform.rest;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one error shape of the REST API: {@code {"error": "...", "message": "..."}}.
 *
 * @param error a stable, machine-readable code such as {@code not_found} or {@code address_taken}
 * @param message a sentence for a person: what is wrong and, where it helps, which field and rule
 */
public record ApiError(String error, String message) {

  /** The code for an HTTP status when no feature gave a more specific one. */
  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 409 -> "conflict";
      case 415 -> "unsupported_media_type";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal_error" : "error";
    };
  }

  public String toJson() {
    return Json.createObjectBuilder()
        .add("error", error)
        .add("message", message)
        .build()
        .toString();
  }

  /** Writes this error as a complete response, for code that runs before JAX-RS does. */
  public static void write(HttpServletResponse response, int status, ApiError error)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(error.toJson());
    response.flushBuffer();
  }
}
