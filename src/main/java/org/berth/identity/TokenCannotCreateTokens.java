package org.berth.identity;

import org.berth.platform.rest.ApiException;

/**
 * A personal API token may not create tokens: otherwise a short-lived or leaked token could mint
 * long-lived ones. 403 {@code token_cannot_create_tokens}.
 */
public class TokenCannotCreateTokens extends ApiException {
  private static final long serialVersionUID = 1L;

  public TokenCannotCreateTokens() {
    super(
        "A personal API token cannot create tokens: create them on the Profile page, or with the"
            + " identity provider's access token");
  }

  @Override
  public int status() {
    return 403;
  }

  @Override
  public String code() {
    return "token_cannot_create_tokens";
  }
}
