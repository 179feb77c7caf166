package org.berth.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cookie-keeping HTTP client that signs in to Berth's pages through Keycloak's own login form, as
 * a browser would, without a browser: it follows Berth's redirect to Keycloak, posts the user name
 * and password to the form's action, and follows the redirects back to Berth. Redirects are
 * otherwise not followed, so tests see them.
 */
public final class OidcSession {

  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

  private final HttpClient client =
      HttpClient.newBuilder()
          .cookieHandler(new PlainHttpCookies())
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI berth;

  public OidcSession(URI berth) {
    this.berth = berth;
  }

  /**
   * Asks Berth for {@code path}, signs in at Keycloak as {@code username}, and returns Berth's
   * final answer (after the callback's redirect to the page asked for).
   */
  public HttpResponse<String> signIn(String path, String username, String password) {
    HttpResponse<String> first = get(berth.resolve(path));
    if (first.statusCode() != 302) {
      throw new AssertionError("Berth did not send an anonymous visitor to sign in: " + first);
    }
    HttpResponse<String> loginPage = get(location(first));
    Matcher action = FORM_ACTION.matcher(loginPage.body());
    if (loginPage.statusCode() != 200 || !action.find()) {
      throw new AssertionError("no Keycloak login form: " + loginPage.statusCode());
    }
    URI post = URI.create(action.group(1).replace("&amp;", "&"));
    String form =
        "username="
            + URLEncoder.encode(username, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&credentialId=";
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(post)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    // Keycloak redirects to Berth's callback, which redirects to the page asked for.
    int hops = 0;
    while (answer.statusCode() == 302 && hops++ < 5) {
      answer = get(location(answer));
    }
    return answer;
  }

  /**
   * Keycloak marks its cookies {@code Secure} even on plain http to 127.0.0.1, where browsers still
   * send them (loopback counts as a secure context) but Java's cookie manager does not. This keeps
   * them, as a browser would on loopback.
   */
  private static final class PlainHttpCookies extends java.net.CookieHandler {
    private final CookieManager cookies = new CookieManager();

    @Override
    public java.util.Map<String, java.util.List<String>> get(
        URI uri, java.util.Map<String, java.util.List<String>> headers) throws IOException {
      return cookies.get(uri, headers);
    }

    @Override
    public void put(URI uri, java.util.Map<String, java.util.List<String>> headers)
        throws IOException {
      java.util.Map<String, java.util.List<String>> plain = new java.util.HashMap<>();
      headers.forEach(
          (name, values) ->
              plain.put(
                  name,
                  name != null && name.equalsIgnoreCase("Set-Cookie")
                      ? values.stream().map(v -> v.replaceAll("(?i);\\s*Secure", "")).toList()
                      : values));
      cookies.put(uri, plain);
    }
  }

  /** A GET in this session. */
  public HttpResponse<String> get(String path) {
    return get(berth.resolve(path));
  }

  public HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET().build());
  }

  /** Where a redirect points, resolved against the request. */
  public static URI location(HttpResponse<String> response) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new AssertionError("no Location in " + response));
    return response.uri().resolve(location);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
