package org.berth.identity;

import java.net.URI;
import java.util.List;

/**
 * How Berth signs people in through an OpenID Connect provider ({@code berth.oidc.*}).
 *
 * @param issuer the provider's issuer; its discovery document is at {@code
 *     <issuer>/.well-known/openid-configuration}
 * @param clientId Berth's client at the provider
 * @param clientSecret the client's secret; never logged or shown
 * @param audience what an access token's {@code aud} must contain for the API to accept it
 * @param rolesClaim where the roles are, as a dot-separated path into the token's claims
 * @param developerRole the provider's role name that means developer
 * @param adminRole the provider's role name that means admin
 * @param scopes the scopes asked for at sign-in
 * @param portal Berth's public address; the callback and the signed-out page are below it
 */
public record OidcSettings(
    URI issuer,
    String clientId,
    String clientSecret,
    String audience,
    List<String> rolesClaim,
    String developerRole,
    String adminRole,
    String scopes,
    URI portal) {

  /** Where the provider sends the browser back with the code. */
  public URI callback() {
    return portal.resolve("oidc/callback");
  }

  /** Where the provider sends the browser after signing out. */
  public URI signedOut() {
    return portal.resolve("signed-out.xhtml");
  }

  @Override
  public String toString() {
    return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + "]";
  }
}
