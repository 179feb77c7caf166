package org.berth.platform.metrics;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.berth.platform.rest.ApiError;
import org.berth.platform.rest.SharedSecret;

/**
 * {@code GET /metrics}: every meter in Prometheus's text format, for the scraper that sends {@code
 * Authorization: Bearer <berth.metrics.token>}. Without that setting nobody reads metrics (403); a
 * wrong or missing token is 401, logged at most once a minute since anyone who reaches Berth can
 * cause it.
 */
@WebServlet(urlPatterns = "/metrics", name = "Metrics")
public class MetricsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(MetricsServlet.class.getName());
  private static final long WARNING_EVERY_NANOS = 60_000_000_000L;
  private static final AtomicLong lastWarning =
      new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  @Inject transient Metrics metrics;
  @Inject transient MetricsSettings settings;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    Optional<String> expected = settings.token();
    if (expected.isEmpty()) {
      warn("Metrics requests refused: berth.metrics.token is not set");
      ApiError.write(
          response,
          HttpServletResponse.SC_FORBIDDEN,
          new ApiError(
              "metrics_off", "Metrics are read with berth.metrics.token, which is not set"));
      return;
    }
    if (!SharedSecret.matches(SharedSecret.bearer(request.getHeader("Authorization")), expected)) {
      warn("Metrics request refused: wrong or missing token");
      response.setHeader("WWW-Authenticate", "Bearer realm=\"Berth metrics\"");
      ApiError.write(
          response,
          HttpServletResponse.SC_UNAUTHORIZED,
          new ApiError("unauthorized", "Send the metrics token as Authorization: Bearer <token>"));
      return;
    }
    byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    response.setContentType(CONTENT_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static void warn(String message) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last > WARNING_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      LOG.warning(message);
    } else {
      LOG.fine(message);
    }
  }
}
