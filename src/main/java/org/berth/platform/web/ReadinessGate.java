package org.berth.platform.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.berth.platform.database.DatabaseMigration;
import org.berth.platform.rest.ApiError;

/**
 * Answers 503 while Berth's database is not usable, instead of letting pages and API calls fail one
 * by one. Static resources pass, so the error page keeps its styling.
 */
@WebFilter(urlPatterns = "/*", filterName = "ReadinessGate")
public class ReadinessGate extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Inject DatabaseMigration migration;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (migration.status().ready() || isExempt(path)) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader("Retry-After", "10");
    if (path.startsWith("/api/")) {
      ApiError.write(
          response,
          HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          new ApiError(
              "unavailable", "Berth is not ready: its database is unavailable; see /health/ready"));
    } else {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    }
  }

  /** Health must answer for itself, and styling keeps the error page readable. */
  private static boolean isExempt(String path) {
    return path.equals("/health")
        || path.startsWith("/health/")
        || path.startsWith("/jakarta.faces.resource/");
  }
}
