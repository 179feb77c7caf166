/**
 * Who the caller is: sign-in for pages and the API, roles ({@code developer}, {@code admin}), the
 * people who have used Berth, and the SSH public keys they keep in their profile ({@link
 * org.berth.identity.SshKeys}).
 *
 * <p>{@link org.berth.identity.BerthAuthentication} is the only authentication mechanism: a form
 * sign-in kept in the HTTP session for pages, and HTTP Basic for each {@code /api} call (the API
 * never uses the session cookie, so a page cannot make API calls on a user's behalf). Accounts come
 * from {@link org.berth.identity.DemoUsers}, the built-in demo login. Any feature may ask {@link
 * org.berth.identity.CurrentUser} who is calling.
 */
package org.berth.identity;
