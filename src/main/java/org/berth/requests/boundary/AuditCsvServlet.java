package org.berth.requests.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import org.berth.identity.Role;

/**
 * The audit trail as CSV, {@code /admin/audit.csv?actor=&words=&from=&to=} (dates {@code
 * yyyy-MM-dd}, UTC; {@code to} included): what Admin → Audit shows, for a spreadsheet. Admins only,
 * as every page under {@code /admin/}.
 */
@WebServlet(urlPatterns = "/admin/audit.csv", name = "AuditCsv")
public class AuditCsvServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject AuditTrail trail;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!request.isUserInRole(Role.ADMIN)) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN);
      return;
    }
    AuditTrail.Filter filter;
    try {
      filter =
          AuditTrail.Filter.ofDays(
              request.getParameter("actor"),
              request.getParameter("words"),
              request.getParameter("from"),
              request.getParameter("to"));
    } catch (DateTimeParseException e) {
      response.sendError(
          HttpServletResponse.SC_BAD_REQUEST, "from and to must be dates such as 2026-12-04");
      return;
    }
    response.setContentType("text/csv; charset=UTF-8");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Content-Disposition", "attachment; filename=\"berth-audit.csv\"");
    response.setHeader("Cache-Control", "no-store");
    try (Writer out = response.getWriter()) {
      trail.csv(filter, out);
    }
  }
}
