package org.berth.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.platform.rest.ApiError;

/**
 * How callers sign in.
 *
 * <ul>
 *   <li>Pages: the sign-in page hands a user name and password to {@code
 *       SecurityContext.authenticate}; a valid one is kept in the session (with a new session id)
 *       and restored on each request. An anonymous request for a protected page is redirected to
 *       the sign-in page, which returns to it afterwards.
 *   <li>{@code /api}: HTTP Basic on every call; the session is ignored. Missing or wrong
 *       credentials get 401 in the API's error shape.
 * </ul>
 */
@ApplicationScoped
public class BerthAuthentication implements HttpAuthenticationMechanism {

  private static final Logger LOG = Logger.getLogger(BerthAuthentication.class.getName());
  static final String SESSION_ACCOUNT = "berth.account";
  static final String SESSION_RETURN_TO = "berth.returnTo";
  public static final String LOGIN_PAGE = "/login.xhtml";

  private static final Duration RECORD_EVERY = Duration.ofMinutes(1);

  /**
   * When each account's sign-in was last written; keyed by the whole account, so a change of name
   * or roles is written at once.
   */
  private final Map<Account, Instant> recorded = new ConcurrentHashMap<>();

  @Inject DemoUsers users;
  @Inject People people;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    try {
      return isApi(request)
          ? validateApiCall(request, response, context)
          : validatePage(request, context);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not answer an unauthenticated request: {0}", e.getMessage());
      return AuthenticationStatus.SEND_FAILURE;
    }
  }

  private AuthenticationStatus validateApiCall(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context)
      throws IOException {
    Optional<String[]> basic = basicCredentials(request.getHeader("Authorization"));
    if (basic.isPresent()) {
      Optional<Account> account = users.verify(basic.get()[0], basic.get()[1]);
      if (account.isPresent()) {
        remember(account.get());
        return context.notifyContainerAboutLogin(account.get().username(), account.get().roles());
      }
      return unauthorized(response, "Wrong user name or password");
    }
    if (context.isProtected()) {
      return unauthorized(response, "Sign in: send HTTP Basic credentials");
    }
    return context.doNothing();
  }

  private AuthenticationStatus validatePage(
      HttpServletRequest request, HttpMessageContext context) {
    if (context.getAuthParameters().getCredential() instanceof UsernamePasswordCredential login) {
      Optional<Account> account = users.verify(login.getCaller(), login.getPasswordAsString());
      if (account.isEmpty()) {
        LOG.log(Level.INFO, "Failed sign-in for user name {0}", printable(login.getCaller()));
        return AuthenticationStatus.SEND_FAILURE;
      }
      request.getSession(true);
      request.changeSessionId();
      request.getSession().setAttribute(SESSION_ACCOUNT, account.get());
      remember(account.get());
      LOG.log(Level.INFO, "{0} signed in", account.get().username());
      return context.notifyContainerAboutLogin(account.get().username(), account.get().roles());
    }
    HttpSession session = request.getSession(false);
    if (session != null && session.getAttribute(SESSION_ACCOUNT) instanceof Account account) {
      return context.notifyContainerAboutLogin(account.username(), account.roles());
    }
    if (context.isProtected()) {
      String path = request.getRequestURI().substring(request.getContextPath().length());
      if ("GET".equals(request.getMethod()) && isPage(path)) {
        String target = request.getRequestURI();
        if (request.getQueryString() != null) {
          target += "?" + request.getQueryString();
        }
        request.getSession(true).setAttribute(SESSION_RETURN_TO, target);
      }
      return context.redirect(request.getContextPath() + LOGIN_PAGE);
    }
    return context.doNothing();
  }

  /**
   * Whether a path is a page worth returning to after sign-in. A browser also asks for things such
   * as {@code /favicon.ico} on its own; returning there would land the user on an error page.
   */
  static boolean isPage(String path) {
    return path.isEmpty() || path.endsWith("/") || path.endsWith(".xhtml");
  }

  /** Where to go after signing in: the page that asked for it, or home. */
  public static String returnTarget(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Object target = session == null ? null : session.getAttribute(SESSION_RETURN_TO);
    if (session != null) {
      session.removeAttribute(SESSION_RETURN_TO);
    }
    return target instanceof String path && path.startsWith(request.getContextPath() + "/")
        ? path
        : request.getContextPath() + "/";
  }

  @Override
  public void cleanSubject(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.removeAttribute(SESSION_ACCOUNT);
    }
  }

  /**
   * Notes the sign-in for the admins' list of people, at most once a minute per account (API
   * callers sign in on every request); never stands in the way of signing in.
   */
  private void remember(Account account) {
    Instant now = Instant.now();
    Instant last = recorded.get(account);
    if (last != null && last.isAfter(now.minus(RECORD_EVERY))) {
      return;
    }
    try {
      people.recordSignIn(account);
      recorded.put(account, now);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not record a sign-in", e);
    }
  }

  private static boolean isApi(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.equals("/api") || path.startsWith("/api/");
  }

  private static AuthenticationStatus unauthorized(HttpServletResponse response, String message)
      throws IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"Berth\", charset=\"UTF-8\"");
    ApiError.write(
        response, HttpServletResponse.SC_UNAUTHORIZED, new ApiError("unauthorized", message));
    return AuthenticationStatus.SEND_FAILURE;
  }

  /** User name and password from a Basic header, or empty if the header is absent or malformed. */
  static Optional<String[]> basicCredentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0
          ? Optional.empty()
          : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String printable(String name) {
    String s = name == null ? "" : name;
    s = s.length() > 64 ? s.substring(0, 64) : s;
    return s.replaceAll("[^\\p{Alnum}._@-]", "?");
  }
}
