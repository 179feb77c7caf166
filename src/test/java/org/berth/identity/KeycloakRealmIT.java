package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
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
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.testing.Http;
import org.berth.testing.Keycloak;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The shipped realm ({@code deploy/keycloak/berth-realm.json}) imported into a real Keycloak gives
 * Berth what it reads: discovery with PKCE S256 and sign-out, access tokens meant for {@code berth}
 * with the account name and the roles at {@code resource_access.berth.roles}, a service account
 * with the developer role, and for the portal's own client: ID tokens with name, email and roles
 * after the code flow, PKCE required, only registered redirects after sign-in and sign-out, and no
 * password grant.
 */
// After the other shared-Berth tests, so that Keycloak and the production Berth have booted in
// the background (EarlyStart) by the time the sign-in tests need them.
@Order(Order.DEFAULT + 1)
class KeycloakRealmIT {

  private static Keycloak keycloak;

  @BeforeAll
  static void start() {
    keycloak = Keycloak.get();
  }

  @Test
  void discoveryOffersTheCodeFlowWithS256AndSignOut() {
    HttpResponse<String> response = get(keycloak.issuer() + "/.well-known/openid-configuration");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject discovery;
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      discovery = reader.readObject();
    }
    assertThat(discovery.getString("issuer")).isEqualTo(keycloak.issuer());
    for (String endpoint :
        List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint")) {
      assertThat(discovery.getString(endpoint, "")).as(endpoint).startsWith(keycloak.issuer());
    }
    assertThat(strings(discovery, "code_challenge_methods_supported")).contains("S256");
  }

  @Test
  void aDevelopersAccessTokenIsMeantForBerthAndCarriesNameAndRoles() {
    keycloak.createUser("dora", "dora-pw", "Dora", "Developer", "dora@example.org", "developer");

    JsonObject claims = Keycloak.claims(keycloak.accessToken("dora", "dora-pw"));

    assertThat(Keycloak.audiences(claims)).contains("berth");
    assertThat(claims.getString("preferred_username")).isEqualTo("dora");
    assertThat(claims.getString("name")).isEqualTo("Dora Developer");
    assertThat(claims.getString("email")).isEqualTo("dora@example.org");
    assertThat(roles(claims)).containsExactly("developer");
  }

  @Test
  void aTokenOfAnotherClientIsNotMeantForBerth() {
    keycloak.createUser("olga", "olga-pw", "Olga", "Other", "olga@example.org", "developer");

    JsonObject claims =
        Keycloak.claims(keycloak.accessTokenWithoutBerthAudience("olga", "olga-pw"));

    assertThat(claims.getString("preferred_username")).isEqualTo("olga");
    assertThat(Keycloak.audiences(claims)).doesNotContain("berth");
  }

  @Test
  void theAutomationServiceAccountIsADeveloperForBerth() {
    JsonObject claims = Keycloak.claims(keycloak.serviceAccountToken());

    assertThat(Keycloak.audiences(claims)).contains("berth");
    assertThat(claims.getString("preferred_username"))
        .isEqualTo("service-account-berth-automation")
        .matches("^[a-z_][a-z0-9_-]{0,31}$");
    assertThat(roles(claims)).containsExactly("developer");
  }

  @Test
  void removingARoleShowsInTheNextToken() {
    keycloak.createUser("ada", "ada-pw", "Ada", "Admin", "ada@example.org", "developer", "admin");
    assertThat(roles(Keycloak.claims(keycloak.accessToken("ada", "ada-pw"))))
        .containsExactlyInAnyOrder("developer", "admin");

    keycloak.setRoles("ada", "developer");

    assertThat(roles(Keycloak.claims(keycloak.accessToken("ada", "ada-pw"))))
        .containsExactly("developer");
  }

  @Test
  void sessionsAreCountedAndEnded() {
    keycloak.createUser("sam", "sam-pw", "Sam", "Session", "sam@example.org", "developer");
    keycloak.accessToken("sam", "sam-pw");
    assertThat(keycloak.sessionCount("sam")).isEqualTo(1);

    keycloak.logoutAll("sam");

    assertThat(keycloak.sessionCount("sam")).isZero();
  }

  @Test
  void thePortalsClientRefusesThePasswordGrant() {
    keycloak.createUser("pat", "pat-pw", "Pat", "Password", "pat@example.org", "developer");

    HttpResponse<String> response =
        keycloak.passwordGrant("berth", keycloak.clientSecret(), "pat", "pat-pw");

    assertThat(response.statusCode()).isIn(400, 401);
    assertThat(response.body()).contains("unauthorized_client");
  }

  @Test
  void thePortalsClientTakesOnlyItsRedirectsAndDemandsPkce() {
    keycloak.allowRedirects(URI.create("http://localhost:8181/"));

    assertThat(authorize("http://localhost:8181/oidc/callback", true).statusCode()).isEqualTo(200);
    assertThat(authorize("https://berth.example.org/oidc/callback", true).statusCode())
        .isEqualTo(200);
    assertThat(authorize("http://localhost:9999/oidc/callback", true).statusCode()).isEqualTo(400);
    HttpResponse<String> withoutPkce = authorize("http://localhost:8181/oidc/callback", false);
    assertThat(withoutPkce.statusCode()).isEqualTo(302);
    assertThat(withoutPkce.headers().firstValue("Location").orElseThrow())
        .startsWith("http://localhost:8181/oidc/callback")
        .contains("error=invalid_request")
        .contains("code_challenge_method");

    for (String afterSignOut :
        List.of(
            "http://localhost:8181/signed-out.xhtml",
            "https://berth.example.org/signed-out.xhtml")) {
      HttpResponse<String> signOut = signOut(afterSignOut);
      assertThat(signOut.statusCode()).isEqualTo(302);
      assertThat(signOut.headers().firstValue("Location")).hasValue(afterSignOut);
    }
    assertThat(signOut("http://localhost:9999/signed-out.xhtml").statusCode()).isEqualTo(400);
  }

  @Test
  void signingInThroughThePortalsClientGivesAnIdTokenWithNameEmailAndRoles() throws Exception {
    keycloak.createUser("ida", "ida-pw", "Ida", "Identity", "ida@example.org", "admin");
    URI callback = URI.create("http://localhost:8182/oidc/callback");
    keycloak.allowRedirects(URI.create("http://localhost:8182/"));
    String verifier = "a-code-verifier-of-at-least-forty-three-characters-0123456789";
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    URI authorization =
        URI.create(
            keycloak.issuer()
                + "/protocol/openid-connect/auth?client_id=berth&response_type=code"
                + "&scope=openid%20profile%20email&state=s2&code_challenge_method=S256"
                + "&code_challenge="
                + challenge
                + "&redirect_uri="
                + URLEncoder.encode(callback.toString(), StandardCharsets.UTF_8));

    String location = keycloak.signIn(authorization, "ida", "ida-pw").toString();

    assertThat(location).startsWith(callback.toString()).contains("state=s2");
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    assertThat(code.find()).isTrue();

    HttpResponse<String> tokens =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                    .header("Authorization", Http.basic("berth", keycloak.clientSecret()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "grant_type=authorization_code&code="
                                + code.group(1)
                                + "&code_verifier="
                                + verifier
                                + "&redirect_uri="
                                + URLEncoder.encode(callback.toString(), StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    JsonObject answer;
    try (var reader = Json.createReader(new StringReader(tokens.body()))) {
      answer = reader.readObject();
    }
    String idToken = answer.getString("id_token");
    String header =
        new String(
            Base64.getUrlDecoder().decode(idToken.substring(0, idToken.indexOf('.'))),
            StandardCharsets.UTF_8);
    assertThat(header).contains("\"alg\":\"RS256\"");
    JsonObject id = Keycloak.claims(idToken);
    assertThat(id.getString("iss")).isEqualTo(keycloak.issuer());
    assertThat(Keycloak.audiences(id)).containsExactly("berth");
    assertThat(id.getString("preferred_username")).isEqualTo("ida");
    assertThat(id.getString("name")).isEqualTo("Ida Identity");
    assertThat(id.getString("email")).isEqualTo("ida@example.org");
    assertThat(roles(id)).containsExactly("admin");
    JsonObject access = Keycloak.claims(answer.getString("access_token"));
    assertThat(Keycloak.audiences(access)).contains("berth");
    assertThat(roles(access)).containsExactly("admin");
    assertThat(keycloak.sessionCount("ida")).isEqualTo(1);
  }

  private static HttpResponse<String> authorize(String redirectUri, boolean pkce) {
    String query =
        "client_id=berth&response_type=code&scope=openid&state=s1&redirect_uri="
            + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8)
            + (pkce
                ? "&code_challenge_method=S256"
                    + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                : "");
    return get(keycloak.issuer() + "/protocol/openid-connect/auth?" + query);
  }

  private static HttpResponse<String> signOut(String postLogoutRedirectUri) {
    return get(
        keycloak.issuer()
            + "/protocol/openid-connect/logout?client_id=berth&post_logout_redirect_uri="
            + URLEncoder.encode(postLogoutRedirectUri, StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(String uri) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> roles(JsonObject claims) {
    JsonObject access = claims.getJsonObject("resource_access");
    assertThat(access).as("resource_access in %s", claims).isNotNull();
    JsonObject berth = access.getJsonObject("berth");
    assertThat(berth).as("resource_access.berth in %s", claims).isNotNull();
    return strings(berth, "roles");
  }

  private static List<String> strings(JsonObject object, String name) {
    return object.getJsonArray(name).getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }
}
