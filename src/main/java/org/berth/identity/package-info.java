/**
 * Who the caller is: sign-in for pages and the API, roles ({@code developer}, {@code admin}), the
 * people who have used Berth and who is blocked, their personal API tokens, and the SSH public keys
 * they keep in their profile ({@link org.berth.identity.SshKeys}).
 *
 * <p>{@link org.berth.identity.BerthAuthentication} is the only authentication mechanism. Pages
 * sign in through the identity provider ({@link org.berth.identity.OpenIdProvider}: OpenID Connect,
 * the authorization code flow with PKCE) and keep the account in the HTTP session; the API takes
 * personal API tokens ({@link org.berth.identity.ApiTokens}) and the provider's access tokens, and
 * never the session cookie, so a page cannot make API calls on a user's behalf. The demo's built-in
 * accounts ({@link org.berth.identity.DemoUsers}) exist only with {@code berth.demo=true}. Account
 * names follow {@link org.berth.identity.AccountName}, so they work on the jump host too. Any
 * feature may ask {@link org.berth.identity.CurrentUser} who is calling and {@link
 * org.berth.identity.People} whether someone is blocked.
 */
package org.berth.identity;
