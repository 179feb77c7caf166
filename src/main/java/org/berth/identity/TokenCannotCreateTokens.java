package org.berth.identity;

import org.berth.platform.refusal.Refusal;

/**
 * A personal API token may not create tokens: otherwise a short-lived or leaked token could mint
 * long-lived ones. 403 {@code token_cannot_create_tokens}.
 */
public class TokenCannotCreateTokens extends Refusal {
  private static final long serialVersionUID = 1L;

  public TokenCannotCreateTokens() {
    super(
        Kind.FORBIDDEN,
        "token_cannot_create_tokens",
        "A personal API token cannot create tokens: create them on the Profile page, or with the"
            + " identity provider's access token");
  }
}
