package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenIdProviderTest {

  static OpenIdProvider provider(String rolesClaim) {
    OidcSettings oidc =
        new OidcSettings(
            URI.create("https://keycloak.example.org/realms/berth"),
            "berth",
            "secret",
            "berth",
            List.of(rolesClaim.split("\\.")),
            "developer",
            "admin",
            "openid profile email",
            URI.create("https://berth.example.org/"));
    OpenIdProvider provider = new OpenIdProvider();
    provider.settings =
        new IdentitySettings() {
          @Override
          public Optional<OidcSettings> oidc() {
            return Optional.of(oidc);
          }
        };
    return provider;
  }

  static JWTClaimsSet claims(Map<String, Object> claims) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    claims.forEach(b::claim);
    return b.build();
  }

  @Test
  void pkceChallengeIsTheS256OfTheVerifierAsRfc7636Shows() {
    assertThat(OpenIdProvider.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void readsNameMailAndKeycloakClientRoles() {
    JWTClaimsSet token =
        claims(
            Map.of(
                "preferred_username", "dora",
                "name", "Dora Developer",
                "email", "dora@example.org",
                "resource_access",
                    Map.of(
                        "berth", Map.of("roles", List.of("admin", "developer")),
                        "other", Map.of("roles", List.of("superuser")))));
    OpenIdProvider provider = provider("resource_access.berth.roles");

    Account account =
        provider.account(token, Optional.of(List.of("admin", "developer", "unrelated")));

    assertThat(account.username()).isEqualTo("dora");
    assertThat(account.displayName()).isEqualTo("Dora Developer");
    assertThat(account.email()).isEqualTo("dora@example.org");
    assertThat(account.roles()).containsExactlyInAnyOrder("admin", "developer");
  }

  @Test
  void anAccountWithoutRolesHasNoneAndNoNameFallsBackToTheAccountName() {
    Account account =
        provider("groups").account(claims(Map.of("preferred_username", "eve")), Optional.empty());

    assertThat(account.roles()).isEmpty();
    assertThat(account.displayName()).isEqualTo("eve");
    assertThat(account.email()).isNull();
  }

  @Test
  void aNameOutsideTheRuleIsRefusedNamingTheRule() {
    assertThatThrownBy(
            () ->
                provider("groups")
                    .account(claims(Map.of("preferred_username", "Dora.Smith")), Optional.empty()))
        .isInstanceOfSatisfying(
            SignInRefused.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SignInRefused.Reason.ACCOUNT_NAME);
              assertThat(e.detail()).contains("'Dora.Smith'").contains(AccountName.RULE);
            });
    assertThatThrownBy(() -> provider("groups").account(claims(Map.of()), Optional.empty()))
        .isInstanceOf(SignInRefused.class)
        .hasMessageContaining("(none)");
  }

  @Test
  void controlCharactersInTheDisplayNameAreNeutralised() {
    Account account =
        provider("groups")
            .account(
                claims(Map.of("preferred_username", "eve", "name", "Eve\nAdmin: yes")),
                Optional.of("developer"));

    assertThat(account.displayName()).isEqualTo("Eve?Admin: yes");
    assertThat(account.roles()).containsExactly("developer");
  }

  @Test
  void tellsJwtsFromBerthTokens() {
    assertThat(OpenIdProvider.looksLikeJwt("aaa.bbb.ccc")).isTrue();
    assertThat(OpenIdProvider.looksLikeJwt("berth_abc")).isFalse();
  }
}
