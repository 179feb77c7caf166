package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.berth.testing.Await;
import org.berth.testing.Http;
import org.berth.testing.Keycloak;
import org.berth.testing.OidcSession;
import org.berth.testing.ProductionBerth;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The API of Berth started as production starts it, with a real Keycloak: no demo accounts, the
 * identity provider's access tokens (people's and service accounts'), personal tokens an admin can
 * revoke, and blocking that stops a person's tokens and jump host keys at once.
 */
// After the other shared-Berth tests, so that Keycloak and the production Berth have booted in
// the background (EarlyStart) by the time the sign-in tests need them.
@Order(Order.DEFAULT + 1)
class ProductionApiIT {

  static ProductionBerth berth;
  static Keycloak keycloak;

  @BeforeAll
  static void people() throws Exception {
    berth = ProductionBerth.get();
    keycloak = berth.keycloak();
    berth.person("pdora", "Dora Developer", "developer");
    berth.person("peve", "Eve Developer", "developer");
    berth.person("pada", "Ada Admin", "admin", "developer");
    berth.person("pkim", "Kim Keyholder", "developer");
  }

  static String bearer(String username) {
    return "Bearer " + keycloak.accessToken(username, ProductionBerth.PASSWORD);
  }

  static HttpResponse<String> call(String method, String path, String authorization, String body) {
    return Http.raw(berth.base(), method, path, authorization, body);
  }

  static JsonArray array(HttpResponse<String> response) {
    return Json.createReader(new StringReader(response.body())).readArray();
  }

  @Test
  void theDemoAccountsDoNotExistAndBasicIsNotOffered() {
    HttpResponse<String> me = call("GET", "api/me", Http.basic("admin", "admin"), null);

    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(me.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"Berth\"");
    assertThat(Http.json(me).getString("message")).contains("HTTP Basic is not accepted");
    HttpResponse<String> anonymous = call("GET", "api/me", null, null);
    assertThat(anonymous.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"Berth\"");
    assertThat(Http.json(anonymous).getString("message")).doesNotContain("demo");
  }

  @Test
  void theSignInPageSendsPeopleToTheIdentityProviderAndShowsNoPasswords() {
    HttpResponse<String> login = call("GET", "login.xhtml", null, null);

    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(OidcSession.location(login).toString())
        .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?")
        .contains("code_challenge_method=S256")
        .contains("client_id=berth");
    assertThat(login.body()).doesNotContain("alice");
    // The session that remembers the sign-in's state: not readable by scripts, not sent along
    // with other sites' posts.
    assertThat(login.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(
            cookie ->
                assertThat(cookie)
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Lax"));
  }

  @Test
  void keycloakAccessTokensOfPeopleAndServiceAccountsAreAccepted() {
    JsonObject dora = Http.json(call("GET", "api/me", bearer("pdora"), null));
    assertThat(dora.getString("username")).isEqualTo("pdora");
    assertThat(dora.getString("displayName")).isEqualTo("Dora Developer");
    assertThat(dora.getJsonArray("roles").getString(0)).isEqualTo("developer");

    HttpResponse<String> service =
        call("GET", "api/me", "Bearer " + keycloak.serviceAccountToken(), null);
    assertThat(service.statusCode()).as(service.body()).isEqualTo(200);
    assertThat(Http.json(service).getString("username"))
        .isEqualTo("service-account-berth-automation");
  }

  @Test
  void personalTokensAreShownOnceListedWithoutTheirTextAndRevokedByTheirOwnerOrAnAdmin() {
    String dora = bearer("pdora");
    HttpResponse<String> created =
        call(
            "POST",
            "api/me/tokens",
            dora,
            "{\"name\":\"ci runner\",\"expiresInDays\":30,\"scope\":\"write\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject token = Http.json(created);
    String text = token.getString("token");
    assertThat(text).startsWith("berth_").hasSize(49);
    assertThat(Instant.parse(token.getString("expiresAt")))
        .isBetween(
            Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));
    long id = token.getJsonNumber("id").longValue();

    assertThat(call("GET", "api/me", "Bearer " + text, null).statusCode()).isEqualTo(200);
    HttpResponse<String> listed = call("GET", "api/me/tokens", dora, null);
    assertThat(listed.body()).doesNotContain(text).contains("ci runner");
    assertThat(array(listed).getJsonObject(0).getString("lastUsed")).isNotEmpty();

    // A token cannot make tokens; another developer cannot revoke it.
    HttpResponse<String> minted =
        call(
            "POST",
            "api/me/tokens",
            "Bearer " + text,
            "{\"name\":\"longer\",\"expiresInDays\":365,\"scope\":\"write\"}");
    assertThat(minted.statusCode()).isEqualTo(403);
    assertThat(Http.json(minted).getString("error")).isEqualTo("token_cannot_create_tokens");
    assertThat(call("DELETE", "api/me/tokens/" + id, bearer("peve"), null).statusCode())
        .isEqualTo(404);

    // An admin sees it and revokes it; it stops at the next call.
    String ada = bearer("pada");
    assertThat(call("GET", "api/people/pdora/tokens", ada, null).body()).contains("ci runner");
    assertThat(call("DELETE", "api/people/pdora/tokens/" + id, ada, null).statusCode())
        .isEqualTo(204);
    HttpResponse<String> after = call("GET", "api/me", "Bearer " + text, null);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(Http.json(after).getString("message")).isEqualTo("The token is revoked");
    assertThat(call("GET", "api/me/tokens", dora, null).body()).doesNotContain("ci runner");
  }

  @Test
  void badTokenRequestsAreRefusedByFieldAndStoreNothing() {
    String eve = bearer("peve");
    HttpResponse<String> refused =
        call(
            "POST",
            "api/me/tokens",
            eve,
            "{\"name\":\"\",\"expiresInDays\":366,\"scope\":\"admin\"}");

    assertThat(refused.statusCode()).isEqualTo(400);
    JsonObject fields = Http.json(refused).getJsonObject("fields");
    assertThat(fields.getString("name")).isEqualTo("must be given");
    assertThat(fields.getString("expiresInDays")).isEqualTo("must be from 1 to 365");
    assertThat(fields.getString("scope")).isEqualTo("must be read or write");
    assertThat(
            call(
                    "POST",
                    "api/me/tokens",
                    eve,
                    "{\"name\":\"x\",\"expiresInDays\":\"7\",\"scope\":\"read\"}")
                .body())
        .contains("must be a whole number");
    assertThat(array(call("GET", "api/me/tokens", eve, null))).isEmpty();
  }

  @Test
  void blockingSomeoneStopsTheirTokensAndJumpHostKeysAtOnceAndUnblockingRestoresThem()
      throws Exception {
    String kim = bearer("pkim");
    String ada = bearer("pada");
    String key = TestKeys.ed25519("kim@laptop");
    assertThat(
            call("POST", "api/me/keys", kim, "{\"label\":\"laptop\",\"key\":\"" + key + "\"}")
                .statusCode())
        .isEqualTo(201);
    berth.containerTemplate("api-ct");
    HttpResponse<String> submitted =
        call(
            "POST",
            "api/requests",
            kim,
            "{\"kind\":\"container\",\"name\":\"kim-"
                + Long.toString(System.currentTimeMillis(), 36)
                + "\",\"template\":\"api-ct\",\"cores\":1,\"memoryMiB\":512,\"diskGiB\":8,"
                + "\"network\":{\"mode\":\"nat\"},\"sshKeys\":[\""
                + key
                + "\"],\"leaseDays\":3,\"purpose\":\"jump host test\"}");
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    long id = Http.json(submitted).getJsonNumber("id").longValue();
    String token =
        Http.json(
                call(
                    "POST",
                    "api/me/tokens",
                    kim,
                    "{\"name\":\"kim's\",\"expiresInDays\":1,\"scope\":\"read\"}"))
            .getString("token");
    awaitReady(id, kim);
    assertThat(jumpHostKeys("pkim")).contains("permitopen=").contains(key.split(" ")[1]);

    assertThat(call("PUT", "api/people/pkim/block", ada, null).statusCode()).isEqualTo(204);

    assertThat(call("GET", "api/me", "Bearer " + token, null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "api/me", kim, null).statusCode()).isEqualTo(401);
    assertThat(jumpHostKeys("pkim")).isEmpty();
    JsonObject person = Http.json(call("GET", "api/people/pkim", ada, null));
    assertThat(person.getBoolean("blocked")).isTrue();
    assertThat(person.getString("blockedBy")).isEqualTo("pada");
    HttpResponse<String> self = call("PUT", "api/people/pada/block", ada, null);
    assertThat(self.statusCode()).isEqualTo(400);

    assertThat(call("DELETE", "api/people/pkim/block", ada, null).statusCode()).isEqualTo(204);
    assertThat(call("GET", "api/me", "Bearer " + token, null).statusCode()).isEqualTo(200);
    assertThat(jumpHostKeys("pkim")).contains("permitopen=");
  }

  @Test
  void healthSaysOnlyUpToAnyoneButAnAdmin() {
    HttpResponse<String> anonymous = call("GET", "health/ready", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(call("GET", "health/ready", bearer("pdora"), null).body())
        .isEqualTo("{\"status\":\"UP\"}");

    HttpResponse<String> admin = call("GET", "health/ready", bearer("pada"), null);
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.body()).contains("\"checks\"").contains("schema version");
  }

  @Test
  void aWrongJumpHostTokenIsToldAboutTheJumpHostToken() {
    HttpResponse<String> answer =
        call("GET", "api/jumphost/authorized-keys?user=pkim", "Bearer wrong-token", null);

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(Http.json(answer).getString("message")).contains("jump host token");
  }

  static String jumpHostKeys(String user) {
    HttpResponse<String> answer =
        call(
            "GET",
            "api/jumphost/authorized-keys?user=" + user,
            "Bearer " + ProductionBerth.JUMP_HOST_TOKEN,
            null);
    assertThat(answer.statusCode()).isEqualTo(200);
    return answer.body();
  }

  static void awaitReady(long id, String authorization) {
    Await.until(
        "request " + id + " to become READY",
        Duration.ofSeconds(60),
        () -> Http.json(call("GET", "api/requests/" + id, authorization, null)).getString("state"),
        "READY"::equals);
  }
}
