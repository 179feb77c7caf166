package org.berth.platform.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.berth.platform.config.Mode;
import org.berth.platform.database.DatabaseMigration;
import org.berth.platform.rest.ApiError;

/**
 * Answers 503 while Berth's database is not usable, instead of letting pages and API calls fail one
 * by one; static resources pass, so the error page keeps its styling, and so do health and metrics,
 * which must answer most when something is wrong. An instance that refuses to start (see {@link
 * Mode}) answers 503 to everything but health.
 */
@WebFilter(urlPatterns = "/*", filterName = "ReadinessGate")
public class ReadinessGate extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Inject DatabaseMigration migration;
  @Inject Mode mode;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    boolean refused = mode.refusal().isPresent();
    if (migration.status().ready()
        || isHealth(path)
        || (!refused && (isStyling(path) || path.equals("/metrics")))) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader("Retry-After", "10");
    if (path.startsWith("/api/")) {
      ApiError.write(
          response,
          HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          new ApiError(
              "unavailable",
              refused
                  ? "Berth is not configured to start; its log names the missing setting"
                  : "Berth is not ready: its database is unavailable"));
    } else {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    }
  }

  /** Health must answer for itself. */
  private static boolean isHealth(String path) {
    return path.equals("/health") || path.startsWith("/health/");
  }

  /** Styling keeps the error page readable while the database is away. */
  private static boolean isStyling(String path) {
    return path.startsWith("/jakarta.faces.resource/");
  }
}
