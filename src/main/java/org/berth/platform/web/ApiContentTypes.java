package org.berth.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.berth.platform.rest.ApiError;

/**
 * Refuses the content types an HTML form or a "simple" cross-site request can send ({@code
 * application/x-www-form-urlencoded}, {@code multipart/form-data}, {@code text/plain}) on every
 * {@code /api} call that may change something. A hostile page can make a browser send those without
 * asking, with any credentials the browser holds; JSON it cannot send cross-site without CORS,
 * which Berth never grants.
 */
@WebFilter(urlPatterns = "/api/*", filterName = "ApiContentTypes")
public class ApiContentTypes extends HttpFilter {

  private static final long serialVersionUID = 1L;

  private static final Set<String> FORM_TYPES =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String method = request.getMethod();
    String type = request.getContentType();
    if (type != null && !"GET".equals(method) && !"HEAD".equals(method)) {
      String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (FORM_TYPES.contains(media)) {
        ApiError.write(
            response,
            HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
            new ApiError(
                "unsupported_media_type",
                "The API takes application/json; " + media + " is refused"));
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
