package org.berth.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Health answers say only UP or DOWN to anyone but an admin: the checks' details (database host,
 * ledger remote, the reason a part is down) are for operators, who ask with an admin's token or
 * read the log. The status code stays as MicroProfile Health sets it (200 or 503).
 */
@WebFilter(
    urlPatterns = {"/health", "/health/*"},
    filterName = "AnonymousHealth")
public class AnonymousHealth extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /**
   * The request attribute the sign-in sets to {@code Boolean.TRUE} for a caller who may read the
   * details: an admin.
   */
  public static final String DETAILS_ALLOWED = "berth.healthDetails";

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (Boolean.TRUE.equals(request.getAttribute(DETAILS_ALLOWED))) {
      chain.doFilter(request, response);
      return;
    }
    Buffered buffered = new Buffered(response);
    chain.doFilter(request, buffered);
    int status = buffered.getStatus();
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "no-store");
    String body = buffered.body();
    boolean up = status < 300 && !body.contains("\"DOWN\"");
    response.getWriter().write("{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
  }

  /** Keeps what the health servlet writes, to be replaced. */
  private static final class Buffered extends HttpServletResponseWrapper {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintWriter writer =
        new PrintWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8));

    Buffered(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return new ServletOutputStream() {
        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          throw new UnsupportedOperationException();
        }
      };
    }

    @Override
    public PrintWriter getWriter() {
      return writer;
    }

    @Override
    public void setContentLength(int len) {}

    @Override
    public void setContentLengthLong(long len) {}

    @Override
    public void flushBuffer() {
      writer.flush();
    }

    String body() {
      writer.flush();
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
