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
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.platform.config.Mode;
import org.berth.platform.rest.ApiError;
import org.berth.platform.web.AnonymousHealth;

/**
 * How callers sign in; the only authentication mechanism of the application.
 *
 * <ul>
 *   <li><b>Pages</b> sign in through the identity provider (OpenID Connect, authorization code with
 *       PKCE, see {@link OpenIdProvider}): an anonymous request for a protected page is sent to the
 *       provider and comes back to {@code /oidc/callback}, which checks the answer, keeps the
 *       account in the HTTP session (with a new session id) and returns to the page first asked
 *       for. A session ends {@code berth.session.max-hours} after its sign-in, so roles are read
 *       anew at least that often. In the demo without a provider, the sign-in page takes the
 *       built-in accounts' passwords instead.
 *   <li><b>{@code /api}</b> takes {@code Authorization: Bearer} with a personal API token ({@link
 *       ApiTokens}) or an access token from the identity provider, and in the demo only HTTP Basic
 *       with a built-in account. The session cookie is ignored, so a page cannot call the API on a
 *       user's behalf. Missing or wrong credentials get 401 in the API's error shape, with a Basic
 *       challenge only in the demo.
 * </ul>
 *
 * Failed passwords and token checks are throttled per account and client address ({@link Throttle})
 * and logged without the secret. A blocked person is refused everywhere at once.
 */
@ApplicationScoped
public class BerthAuthentication implements HttpAuthenticationMechanism {

  private static final Logger LOG = Logger.getLogger(BerthAuthentication.class.getName());
  static final String SESSION_SIGNED_IN = "berth.signedIn";
  static final String SESSION_RETURN_TO = "berth.returnTo";
  static final String SESSION_PENDING = "berth.oidc.pending";
  static final String SESSION_PROBLEM = "berth.signInProblem";
  static final String REQUEST_ACCOUNT = "berth.account";

  /** Set on API calls made with a personal API token. */
  static final String REQUEST_PERSONAL_TOKEN = "berth.personalToken";

  public static final String LOGIN_PAGE = "/login.xhtml";
  public static final String CALLBACK = "/oidc/callback";
  public static final String PROBLEM_PAGE = "/sign-in-problem.xhtml";

  private static final Duration RECORD_EVERY = Duration.ofMinutes(1);

  /**
   * When each account's API use was last written; keyed by the whole account, so a change of name
   * or roles is written at once.
   */
  private final Map<Account, Instant> recorded = new java.util.concurrent.ConcurrentHashMap<>();

  /** Sign-ins started in one session (several tabs) that are remembered at once, at most. */
  private static final int MAX_PENDING = 8;

  private static final Duration PENDING_FOR = Duration.ofMinutes(15);

  /** A sign-in sent to the identity provider and not yet back. */
  record Pending(String nonce, String verifier, String returnTo, Instant started)
      implements Serializable {}

  @Inject DemoUsers users;
  @Inject People people;
  @Inject ApiTokens tokens;
  @Inject IdentitySettings settings;
  @Inject OpenIdProvider provider;
  @Inject Throttle throttle;
  @Inject Mode mode;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    try {
      String path = path(request);
      if (mode.refusal().isPresent()) {
        return refused(response, path, context);
      }
      return isApi(path) || isHealth(path)
          ? validateApiCall(request, response, context, path)
          : validatePage(request, response, context, path);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not answer an unauthenticated request: {0}", e.getMessage());
      return AuthenticationStatus.SEND_FAILURE;
    } catch (RuntimeException e) {
      // Checking a token or a block needs the database; while it is away nobody is signed in.
      LOG.log(Level.WARNING, "A sign-in could not be checked", e);
      try {
        response.setHeader("Retry-After", "10");
        if (isApi(path(request))) {
          ApiError.write(
              response,
              HttpServletResponse.SC_SERVICE_UNAVAILABLE,
              new ApiError("unavailable", "Berth cannot check sign-ins now; try again shortly"));
        } else {
          response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        }
      } catch (IOException | IllegalStateException ignored) {
        // the client has gone
      }
      return AuthenticationStatus.SEND_FAILURE;
    }
  }

  /**
   * An instance that refuses to start signs nobody in: 503 to everything but health, before any
   * credential is looked at.
   */
  private static AuthenticationStatus refused(
      HttpServletResponse response, String path, HttpMessageContext context) throws IOException {
    if (isHealth(path)) {
      return context.doNothing();
    }
    response.setHeader("Retry-After", "60");
    if (isApi(path)) {
      ApiError.write(
          response,
          HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          new ApiError(
              "unavailable",
              "Berth is not configured to start; its log names the missing setting"));
    } else {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    }
    return AuthenticationStatus.SEND_FAILURE;
  }

  // ---------------------------------------------------------------- API

  private AuthenticationStatus validateApiCall(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMessageContext context,
      String path)
      throws IOException {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || checksOwnSecret(path)) {
      return context.isProtected()
          ? unauthorized(response, "Sign in: " + howToSignIn())
          : context.doNothing();
    }
    String address = request.getRemoteAddr();
    Optional<Duration> wait = throttle.retryAfter(Throttle.address(address));
    if (wait.isPresent()) {
      return tooMany(response, wait.get());
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).strip();
      if (token.startsWith(ApiTokens.PREFIX)) {
        return personalToken(request, response, context, token, address);
      }
      if (settings.oidc().isPresent() && OpenIdProvider.looksLikeJwt(token)) {
        return providerToken(request, response, context, token, address);
      }
      throttle.failed(Throttle.address(address));
      LOG.log(Level.INFO, "Unknown bearer token from {0}", address);
      return unauthorized(response, "The bearer token is not one Berth accepts");
    }
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      if (!settings.demoAccounts()) {
        return unauthorized(
            response, "HTTP Basic is not accepted here; " + howToSignIn().replace("send", "use"));
      }
      return demoPassword(request, response, context, authorization, address);
    }
    return unauthorized(response, "Unsupported Authorization scheme; " + howToSignIn());
  }

  private AuthenticationStatus personalToken(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMessageContext context,
      String token,
      String address)
      throws IOException {
    ApiTokens.Check check = tokens.check(token);
    if (check instanceof ApiTokens.Valid valid) {
      if (people.isBlocked(valid.username())) {
        throttle.failed(Throttle.address(address));
        return unauthorized(response, "The token's owner is blocked");
      }
      Account account =
          people
              .account(valid.username())
              .orElseGet(() -> new Account(valid.username(), valid.username(), null, Set.of()));
      if (valid.scope() == TokenScope.READ && !isSafe(request.getMethod())) {
        ApiError.write(
            response,
            HttpServletResponse.SC_FORBIDDEN,
            new ApiError(
                "read_only_token",
                "This token may only read (GET); create a write token to make changes"));
        return AuthenticationStatus.SEND_FAILURE;
      }
      request.setAttribute(REQUEST_PERSONAL_TOKEN, Boolean.TRUE);
      return signedIn(request, response, context, account, false);
    }
    if (check instanceof ApiTokens.Refused refused) {
      throttle.failed(Throttle.account(refused.username()), Throttle.address(address));
      LOG.log(
          Level.INFO,
          "Refused a {0} token of {1} from {2}",
          new Object[] {refused.why(), refused.username(), address});
      return unauthorized(response, "The token is " + refused.why());
    }
    throttle.failed(Throttle.address(address));
    LOG.log(Level.INFO, "Unknown personal token from {0}", address);
    return unauthorized(response, "Unknown token");
  }

  private AuthenticationStatus providerToken(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMessageContext context,
      String token,
      String address)
      throws IOException {
    Account account;
    try {
      account = provider.accessTokenAccount(token);
    } catch (SignInRefused e) {
      if (e.reason() == SignInRefused.Reason.PROVIDER_UNAVAILABLE) {
        ApiError.write(response, 503, new ApiError("unavailable", e.detail()));
        return AuthenticationStatus.SEND_FAILURE;
      }
      throttle.failed(Throttle.address(address));
      LOG.log(
          Level.INFO, "Refused an access token from {0}: {1}", new Object[] {address, e.detail()});
      return unauthorized(response, "The access token is not accepted: " + e.detail());
    }
    if (people.isBlocked(account.username())) {
      return unauthorized(response, "The token's owner is blocked");
    }
    return signedIn(request, response, context, account, false);
  }

  private AuthenticationStatus demoPassword(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMessageContext context,
      String authorization,
      String address)
      throws IOException {
    Optional<String[]> basic = basicCredentials(authorization);
    if (basic.isEmpty()) {
      return unauthorized(response, "Malformed HTTP Basic credentials");
    }
    String username = basic.get()[0];
    Optional<Duration> wait =
        throttle.retryAfter(Throttle.account(username), Throttle.address(address));
    if (wait.isPresent()) {
      return tooMany(response, wait.get());
    }
    Optional<Account> account = users.verify(username, basic.get()[1]);
    if (account.isEmpty()) {
      throttle.failed(Throttle.account(username), Throttle.address(address));
      LOG.log(
          Level.INFO,
          "Failed sign-in for user name {0} from {1}",
          new Object[] {OpenIdProvider.printable(username), address});
      return unauthorized(response, "Wrong user name or password");
    }
    throttle.succeeded(Throttle.account(username));
    if (isHealth(path(request))) {
      // Health must answer while the database is away: no block check, nothing recorded.
      request.setAttribute(REQUEST_ACCOUNT, account.get());
      request.setAttribute(AnonymousHealth.DETAILS_ALLOWED, account.get().isAdmin());
      return context.notifyContainerAboutLogin(username, account.get().roles());
    }
    if (people.isBlocked(username)) {
      return unauthorized(response, "This account is blocked");
    }
    return signedIn(request, response, context, account.get(), false);
  }

  private String howToSignIn() {
    return "send a personal API token as Authorization: Bearer <token>"
        + (settings.demoAccounts() ? " or HTTP Basic with a demo account" : "");
  }

  private AuthenticationStatus unauthorized(HttpServletResponse response, String message)
      throws IOException {
    response.setHeader(
        "WWW-Authenticate",
        settings.demoAccounts()
            ? "Basic realm=\"Berth\", charset=\"UTF-8\""
            : "Bearer realm=\"Berth\"");
    ApiError.write(
        response, HttpServletResponse.SC_UNAUTHORIZED, new ApiError("unauthorized", message));
    return AuthenticationStatus.SEND_FAILURE;
  }

  private static AuthenticationStatus tooMany(HttpServletResponse response, Duration wait)
      throws IOException {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    response.setHeader("Retry-After", Long.toString(seconds));
    ApiError.write(
        response,
        429,
        new ApiError(
            "too_many_attempts", "Too many failed sign-ins; try again in " + seconds + " seconds"));
    return AuthenticationStatus.SEND_FAILURE;
  }

  // ---------------------------------------------------------------- pages

  private AuthenticationStatus validatePage(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMessageContext context,
      String path)
      throws IOException {
    if (path.equals(CALLBACK) && settings.oidc().isPresent()) {
      return callback(request, response, context);
    }
    if (context.getAuthParameters().getCredential() instanceof UsernamePasswordCredential login) {
      return demoForm(request, context, login);
    }
    HttpSession session = request.getSession(false);
    if (session != null && session.getAttribute(SESSION_SIGNED_IN) instanceof SignedIn signedIn) {
      if (signedIn.at().plus(settings.sessionMaxAge()).isBefore(Instant.now())) {
        session.removeAttribute(SESSION_SIGNED_IN);
        LOG.log(
            Level.FINE,
            "The session of {0} reached its maximum age",
            signedIn.account().username());
      } else if (people.isBlocked(signedIn.account().username())) {
        if (!context.isProtected()) {
          return context.doNothing(); // the problem page itself, the signed-out page
        }
        return problem(
            request,
            context,
            new SignInRefused(
                SignInRefused.Reason.BLOCKED, "An admin has blocked your account in Berth"));
      } else {
        request.setAttribute(REQUEST_ACCOUNT, signedIn.account());
        return context.notifyContainerAboutLogin(
            signedIn.account().username(), signedIn.account().roles());
      }
    }
    boolean loginPage = path.equals(LOGIN_PAGE) && "GET".equals(request.getMethod());
    if (!context.isProtected() && !(loginPage && settings.oidc().isPresent())) {
      return context.doNothing();
    }
    String returnTo = null;
    if ("GET".equals(request.getMethod()) && isPage(path) && !loginPage) {
      returnTo = request.getRequestURI();
      if (request.getQueryString() != null) {
        returnTo += "?" + request.getQueryString();
      }
    }
    if (settings.oidc().isPresent()) {
      return startSignIn(request, context, returnTo);
    }
    if (returnTo != null) {
      request.getSession(true).setAttribute(SESSION_RETURN_TO, returnTo);
    }
    return context.redirect(request.getContextPath() + LOGIN_PAGE);
  }

  private AuthenticationStatus startSignIn(
      HttpServletRequest request, HttpMessageContext context, String returnTo) {
    OpenIdProvider.Start start;
    try {
      start = provider.start();
    } catch (SignInRefused e) {
      return problem(request, context, e);
    }
    HttpSession session = request.getSession(true);
    Map<String, Pending> pending = pending(session);
    synchronized (pending) {
      while (pending.size() >= MAX_PENDING) {
        pending.remove(pending.keySet().iterator().next());
      }
      pending.put(
          start.state(), new Pending(start.nonce(), start.verifier(), returnTo, Instant.now()));
      session.setAttribute(SESSION_PENDING, pending);
    }
    return context.redirect(start.redirect().toString());
  }

  private AuthenticationStatus callback(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    HttpSession session = request.getSession(false);
    String state = request.getParameter("state");
    Pending started = null;
    if (session != null && state != null) {
      Map<String, Pending> pending = pending(session);
      synchronized (pending) {
        started = pending.remove(state);
        session.setAttribute(SESSION_PENDING, pending);
      }
    }
    String address = request.getRemoteAddr();
    try {
      if (started == null || started.started().plus(PENDING_FOR).isBefore(Instant.now())) {
        throw new SignInRefused(
            SignInRefused.Reason.STALE,
            "This sign-in link is old or was not started here; please sign in again");
      }
      String error = request.getParameter("error");
      if (error != null) {
        throw new SignInRefused(
            SignInRefused.Reason.PROVIDER_REFUSED,
            "access_denied".equals(error)
                ? "The sign-in was cancelled at the identity provider"
                : "The identity provider refused the sign-in ("
                    + OpenIdProvider.printable(error)
                    + ")");
      }
      String code = request.getParameter("code");
      if (code == null || code.isEmpty() || code.length() > 4096) {
        throw new SignInRefused(
            SignInRefused.Reason.PROVIDER_REFUSED, "The identity provider sent no code");
      }
      Optional<Duration> wait = throttle.retryAfter(Throttle.address(address));
      if (wait.isPresent()) {
        throw new SignInRefused(
            SignInRefused.Reason.PROVIDER_REFUSED,
            "Too many failed sign-ins from your address; try again in "
                + Math.max(1, wait.get().toSeconds())
                + " seconds");
      }
      OpenIdProvider.Tokens signedIn = provider.finish(code, started.verifier(), started.nonce());
      Account account = signedIn.account();
      if (account.roles().isEmpty()) {
        throw new SignInRefused(
            SignInRefused.Reason.NO_ROLE,
            "Your account "
                + account.username()
                + " has no Berth role; ask an admin to give you the developer role");
      }
      if (people.isBlocked(account.username())) {
        throw new SignInRefused(
            SignInRefused.Reason.BLOCKED, "An admin has blocked your account in Berth");
      }
      request.changeSessionId();
      request
          .getSession()
          .setAttribute(
              SESSION_SIGNED_IN, new SignedIn(account, Instant.now(), signedIn.idToken()));
      record(account, true);
      LOG.log(
          Level.INFO,
          "{0} signed in through the identity provider with roles {1}",
          new Object[] {account.username(), account.roles()});
      request.setAttribute(REQUEST_ACCOUNT, account);
      String target =
          started.returnTo() != null
                  && started.returnTo().startsWith(request.getContextPath() + "/")
              ? started.returnTo()
              : request.getContextPath() + "/";
      return context.redirect(target);
    } catch (SignInRefused e) {
      if (e.reason() == SignInRefused.Reason.INVALID_TOKEN
          || e.reason() == SignInRefused.Reason.STALE) {
        throttle.failed(Throttle.address(address));
      }
      LOG.log(Level.INFO, "Sign-in from {0} refused: {1}", new Object[] {address, e.getMessage()});
      return problem(request, context, e);
    }
  }

  /** Shows the sign-in problem page with what went wrong. */
  private AuthenticationStatus problem(
      HttpServletRequest request, HttpMessageContext context, SignInRefused problem) {
    request
        .getSession(true)
        .setAttribute(SESSION_PROBLEM, new SignInProblem(problem.reason(), problem.detail()));
    return context.redirect(request.getContextPath() + PROBLEM_PAGE);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Pending> pending(HttpSession session) {
    Object held = session.getAttribute(SESSION_PENDING);
    return held instanceof LinkedHashMap<?, ?> map
        ? (Map<String, Pending>) map
        : new LinkedHashMap<>();
  }

  private AuthenticationStatus demoForm(
      HttpServletRequest request, HttpMessageContext context, UsernamePasswordCredential login) {
    String address = request.getRemoteAddr();
    if (!settings.demoAccounts()
        || throttle
            .retryAfter(Throttle.account(login.getCaller()), Throttle.address(address))
            .isPresent()) {
      return AuthenticationStatus.SEND_FAILURE;
    }
    Optional<Account> account = users.verify(login.getCaller(), login.getPasswordAsString());
    if (account.isEmpty() || people.isBlocked(account.get().username())) {
      throttle.failed(Throttle.account(login.getCaller()), Throttle.address(address));
      LOG.log(
          Level.INFO,
          "Failed sign-in for user name {0} from {1}",
          new Object[] {OpenIdProvider.printable(login.getCaller()), address});
      return AuthenticationStatus.SEND_FAILURE;
    }
    throttle.succeeded(Throttle.account(login.getCaller()));
    request.getSession(true);
    request.changeSessionId();
    request
        .getSession()
        .setAttribute(SESSION_SIGNED_IN, new SignedIn(account.get(), Instant.now(), null));
    record(account.get(), true);
    LOG.log(Level.INFO, "{0} signed in", account.get().username());
    request.setAttribute(REQUEST_ACCOUNT, account.get());
    return context.notifyContainerAboutLogin(account.get().username(), account.get().roles());
  }

  /** Whether the demo form reports a throttled attempt: the page then says to wait. */
  public boolean isThrottled(HttpServletRequest request, String username) {
    return throttle
        .retryAfter(
            Throttle.account(username == null ? "" : username),
            Throttle.address(request.getRemoteAddr()))
        .isPresent();
  }

  // ---------------------------------------------------------------- shared

  private AuthenticationStatus signedIn(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpMessageContext context,
      Account account,
      boolean page)
      throws IOException {
    if (account.roles().isEmpty()) {
      ApiError.write(
          response,
          HttpServletResponse.SC_FORBIDDEN,
          new ApiError("no_role", "The account " + account.username() + " has no Berth role"));
      return AuthenticationStatus.SEND_FAILURE;
    }
    record(account, page);
    request.setAttribute(REQUEST_ACCOUNT, account);
    request.setAttribute(AnonymousHealth.DETAILS_ALLOWED, account.isAdmin());
    return context.notifyContainerAboutLogin(account.username(), account.roles());
  }

  /**
   * Notes the sign-in for the admins' list of people: every page sign-in, and an API caller at most
   * once a minute per account (they sign in on every call, which must not cost a write each). Never
   * stands in the way of signing in.
   */
  private void record(Account account, boolean page) {
    Instant now = Instant.now();
    Instant last = recorded.get(account);
    if (!page && last != null && last.isAfter(now.minus(RECORD_EVERY))) {
      return;
    }
    try {
      people.recordSignIn(account, page);
      recorded.put(account, now);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not record a sign-in", e);
    }
  }

  /** Where to go after the demo's sign-in form: the page that asked for it, or home. */
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

  /** The ID token of the page session, to end the provider's session on sign-out. */
  public static Optional<String> idToken(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session != null && session.getAttribute(SESSION_SIGNED_IN) instanceof SignedIn s
        ? Optional.ofNullable(s.idToken())
        : Optional.empty();
  }

  /** The sign-in problem of this session, shown once. */
  public static Optional<SignInProblem> takeProblem(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null || !(session.getAttribute(SESSION_PROBLEM) instanceof SignInProblem p)) {
      return Optional.empty();
    }
    session.removeAttribute(SESSION_PROBLEM);
    return Optional.of(p);
  }

  @Override
  public void cleanSubject(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.removeAttribute(SESSION_SIGNED_IN);
    }
  }

  /**
   * Whether a path is a page worth returning to after sign-in. A browser also asks for things such
   * as {@code /favicon.ico} on its own; returning there would land the user on an error page.
   */
  static boolean isPage(String path) {
    return path.isEmpty() || path.endsWith("/") || path.endsWith(".xhtml");
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  private static boolean isApi(String path) {
    return path.equals("/api") || path.startsWith("/api/");
  }

  private static boolean isHealth(String path) {
    return path.equals("/health") || path.startsWith("/health/");
  }

  /**
   * Paths that check a secret of their own in {@code Authorization} (the jump host's key command,
   * the Git server's push hooks): the mechanism leaves their header alone.
   */
  static boolean checksOwnSecret(String path) {
    return path.equals("/api/jumphost/authorized-keys")
        || path.equals("/api/ledger/webhook")
        || path.startsWith("/api/ledger/webhook/");
  }

  private static boolean isSafe(String method) {
    return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
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
}
