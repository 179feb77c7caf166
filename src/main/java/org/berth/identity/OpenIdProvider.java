package org.berth.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Berth's side of OpenID Connect with one provider: the provider's endpoints from its discovery
 * document, the authorization code flow with PKCE ({@code S256}), and tokens checked against the
 * keys the provider publishes ({@code jwks_uri}): signature (RSA or EC), issuer, audience, expiry.
 * The client authenticates at the token endpoint with its secret (HTTP Basic, {@code
 * client_secret_basic}). Nothing here is logged with a token or the secret.
 */
@ApplicationScoped
public class OpenIdProvider {

  private static final Logger LOG = Logger.getLogger(OpenIdProvider.class.getName());
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RETRY_DISCOVERY = Duration.ofSeconds(10);
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  /** The most a provider's answer (discovery, keys, tokens) may weigh. */
  private static final int MAX_ANSWER_BYTES = 256 * 1024;

  /** The provider's endpoints, from its discovery document. */
  record Endpoints(
      URI authorization,
      URI token,
      URI jwks,
      Optional<URI> endSession,
      JWKSource<SecurityContext> keys) {}

  /** What the token endpoint answered, checked. */
  public record Tokens(Account account, String idToken) {}

  @Inject IdentitySettings settings;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private volatile Endpoints endpoints;
  private volatile Instant lastFailure = Instant.MIN;

  private OidcSettings oidc() {
    return settings.oidc().orElseThrow(() -> new IllegalStateException("no identity provider"));
  }

  /**
   * The provider's endpoints, read from discovery once and kept; a provider that cannot be read is
   * asked again at most every ten seconds.
   */
  Endpoints endpoints() {
    Endpoints known = endpoints;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (endpoints != null) {
        return endpoints;
      }
      if (lastFailure.plus(RETRY_DISCOVERY).isAfter(Instant.now())) {
        throw unavailable();
      }
      try {
        endpoints = discover();
        LOG.log(Level.INFO, "Identity provider {0} discovered", oidc().issuer());
        return endpoints;
      } catch (IOException | RuntimeException e) {
        lastFailure = Instant.now();
        LOG.log(
            Level.WARNING,
            "The identity provider {0} cannot be read: {1}",
            new Object[] {oidc().issuer(), e.getMessage()});
        throw unavailable();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unavailable();
      }
    }
  }

  private SignInRefused unavailable() {
    return new SignInRefused(
        SignInRefused.Reason.PROVIDER_UNAVAILABLE,
        "The identity provider cannot be reached; try again in a minute");
  }

  private Endpoints discover() throws IOException, InterruptedException {
    String issuer = oidc().issuer().toString();
    URI uri =
        URI.create(
            (issuer.endsWith("/") ? issuer : issuer + "/") + ".well-known/openid-configuration");
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200 || answer.body().length() > MAX_ANSWER_BYTES) {
      throw new IOException("discovery answered HTTP " + answer.statusCode());
    }
    JsonObject doc = json(answer.body());
    if (!issuer.equals(doc.getString("issuer", null))) {
      throw new IOException("its discovery document names another issuer");
    }
    URI jwks = URI.create(doc.getString("jwks_uri"));
    DefaultResourceRetriever retriever =
        new DefaultResourceRetriever(5000, 10000, MAX_ANSWER_BYTES);
    JWKSource<SecurityContext> keys =
        JWKSourceBuilder.create(jwks.toURL(), retriever).retrying(true).build();
    return new Endpoints(
        URI.create(doc.getString("authorization_endpoint")),
        URI.create(doc.getString("token_endpoint")),
        jwks,
        Optional.ofNullable(doc.getString("end_session_endpoint", null)).map(URI::create),
        keys);
  }

  /** A fresh sign-in: what to keep in the session, and where to send the browser. */
  public record Start(String state, String nonce, String verifier, URI redirect) {}

  /** Starts a sign-in: a new state, nonce and PKCE verifier, and the provider's URL with them. */
  public Start start() {
    Endpoints e = endpoints();
    String state = Secrets.random(24);
    String nonce = Secrets.random(24);
    String verifier = Secrets.random(48);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", oidc().clientId());
    query.put("redirect_uri", oidc().callback().toString());
    query.put("scope", oidc().scopes());
    query.put("state", state);
    query.put("nonce", nonce);
    query.put("code_challenge", challenge(verifier));
    query.put("code_challenge_method", "S256");
    return new Start(state, nonce, verifier, withQuery(e.authorization(), query));
  }

  /**
   * Redeems the code the provider sent back: exchanges it (with the PKCE verifier), checks the ID
   * token (signature, issuer, audience, expiry, nonce) and reads the account from it.
   */
  public Tokens finish(String code, String verifier, String nonce) {
    Endpoints e = endpoints();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", oidc().callback().toString());
    form.put("code_verifier", verifier);
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (encode(oidc().clientId()) + ":" + encode(oidc().clientSecret()))
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> answer;
    try {
      answer =
          http.send(
              HttpRequest.newBuilder(e.token())
                  .timeout(TIMEOUT)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Accept", "application/json")
                  .header("Authorization", "Basic " + basic)
                  .POST(HttpRequest.BodyPublishers.ofString(formOf(form)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException ex) {
      LOG.log(Level.WARNING, "The identity provider's token endpoint failed: {0}", ex.getMessage());
      throw unavailable();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw unavailable();
    }
    if (answer.body().length() > MAX_ANSWER_BYTES) {
      throw new SignInRefused(SignInRefused.Reason.INVALID_TOKEN, "The answer was too large");
    }
    JsonObject body;
    try {
      body = json(answer.body());
    } catch (RuntimeException ex) {
      throw new SignInRefused(
          SignInRefused.Reason.PROVIDER_UNAVAILABLE,
          "The identity provider answered HTTP " + answer.statusCode() + " without JSON");
    }
    if (answer.statusCode() != 200) {
      String error = body.getString("error", "error");
      LOG.log(
          Level.WARNING,
          "The identity provider refused the code: HTTP {0} {1}",
          new Object[] {answer.statusCode(), printable(error)});
      throw new SignInRefused(
          SignInRefused.Reason.PROVIDER_REFUSED,
          "The identity provider refused the sign-in (" + printable(error) + ")");
    }
    String idToken = body.getString("id_token", null);
    if (idToken == null) {
      throw new SignInRefused(
          SignInRefused.Reason.INVALID_TOKEN, "The identity provider sent no ID token");
    }
    JWTClaimsSet id = verify(idToken, oidc().clientId(), Set.of("sub", "exp", "iat", "nonce"));
    if (!nonce.equals(stringClaim(id, "nonce"))) {
      throw new SignInRefused(SignInRefused.Reason.STALE, "The sign-in does not match its start");
    }
    Optional<Object> roles = claim(id.getClaims(), oidc().rolesClaim());
    if (roles.isEmpty() && body.get("access_token") instanceof JsonString access) {
      // Keycloak, for one, puts client roles only in the access token unless told otherwise.
      try {
        roles = claim(verifyAccess(access.getString()).getClaims(), oidc().rolesClaim());
      } catch (SignInRefused ignored) {
        // An opaque access token: the ID token has no roles, so the person has none.
      }
    }
    return new Tokens(account(id, roles), idToken);
  }

  /**
   * Checks an access token the provider issued for the API: signed by the provider, issued by it,
   * not expired, with Berth's audience. Returns the account it names.
   */
  public Account accessTokenAccount(String token) {
    JWTClaimsSet claims = verifyAccess(token);
    return account(claims, claim(claims.getClaims(), oidc().rolesClaim()));
  }

  private JWTClaimsSet verifyAccess(String token) {
    return verify(token, oidc().audience(), Set.of("sub", "exp"));
  }

  private JWTClaimsSet verify(String token, String audience, Set<String> required) {
    Endpoints e = endpoints();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, e.keys()));
    processor.setJWTClaimsSetVerifier(
        // Mutable sets: the verifier asks them whether they contain null.
        new DefaultJWTClaimsVerifier<>(
            new HashSet<>(Set.of(audience)),
            new JWTClaimsSet.Builder().issuer(oidc().issuer().toString()).build(),
            new HashSet<>(required),
            new HashSet<>()));
    try {
      return processor.process(token, null);
    } catch (ParseException | BadJOSEException | JOSEException ex) {
      throw new SignInRefused(
          SignInRefused.Reason.INVALID_TOKEN, "The token does not check out: " + ex.getMessage());
    }
  }

  /** The account a checked token names, under Berth's rules for names and roles. */
  Account account(JWTClaimsSet claims, Optional<Object> roleClaim) {
    String username = stringClaim(claims, "preferred_username");
    if (!AccountName.isValid(username)) {
      throw new SignInRefused(
          SignInRefused.Reason.ACCOUNT_NAME,
          "The account name "
              + (username == null ? "(none)" : "'" + printable(username) + "'")
              + " cannot be used in Berth: it "
              + AccountName.RULE);
    }
    Set<String> given = new TreeSet<>();
    roleClaim.ifPresent(
        value -> {
          if (value instanceof Collection<?> list) {
            list.forEach(r -> given.add(String.valueOf(r)));
          } else if (value instanceof String single) {
            given.add(single);
          }
        });
    Set<String> roles = new TreeSet<>();
    if (given.contains(oidc().developerRole())) {
      roles.add(Role.DEVELOPER);
    }
    if (given.contains(oidc().adminRole())) {
      roles.add(Role.ADMIN);
    }
    String name = Optional.ofNullable(stringClaim(claims, "name")).orElse(username);
    String email = stringClaim(claims, "email");
    return new Account(
        username, printable(name, 200), email == null ? null : printable(email, 254), roles);
  }

  /** Where to send the browser to end the provider's session too, if the provider allows. */
  public Optional<URI> endSession(String idTokenHint) {
    Optional<URI> end;
    try {
      end = endpoints().endSession();
    } catch (SignInRefused e) {
      return Optional.empty();
    }
    return end.map(
        uri -> {
          Map<String, String> query = new LinkedHashMap<>();
          query.put("client_id", oidc().clientId());
          query.put("post_logout_redirect_uri", oidc().signedOut().toString());
          if (idTokenHint != null) {
            query.put("id_token_hint", idTokenHint);
          }
          return withQuery(uri, query);
        });
  }

  /** Whether a bearer credential looks like a JWT rather than a Berth token. */
  public static boolean looksLikeJwt(String token) {
    return token.chars().filter(c -> c == '.').count() == 2;
  }

  private static Optional<Object> claim(Map<String, Object> claims, List<String> path) {
    Object at = claims;
    for (String step : path) {
      if (!(at instanceof Map<?, ?> map)) {
        return Optional.empty();
      }
      at = map.get(step);
    }
    return Optional.ofNullable(at);
  }

  private static String stringClaim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String s ? s : null;
  }

  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static URI withQuery(URI base, Map<String, String> query) {
    String sep = base.getRawQuery() == null ? "?" : "&";
    return URI.create(base + sep + formOf(query));
  }

  private static String formOf(Map<String, String> values) {
    return values.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonObject json(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  static String printable(String s) {
    return printable(s, 64);
  }

  private static String printable(String s, int max) {
    String cut = s.length() > max ? s.substring(0, max) : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
