package org.berth.web;

import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.berth.identity.ApiTokens;
import org.berth.identity.CurrentUser;
import org.berth.identity.SshKeys;
import org.berth.platform.refusal.InvalidInput;

/**
 * Backs {@code profile.xhtml}: the SSH public keys the caller keeps, to choose from in requests,
 * and their personal API tokens.
 */
@Named
@ViewScoped
public class Profile implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Where a token just created waits for the response to show it: a request attribute, so its text
   * lives for this one response and never in the view, the session or the flash.
   */
  private static final String NEW_TOKEN = Profile.class.getName() + ".newToken";

  private static final String DEFAULT_DAYS = "30";
  private static final String DEFAULT_SCOPE = "read";

  /** The token form's inputs by the field names {@link ApiTokens#create} refuses. */
  private static final Map<String, String> TOKEN_INPUTS =
      Map.of(
          "name", "addToken:tokenName",
          "expiresInDays", "addToken:tokenDays",
          "scope", "addToken:tokenScope");

  @Inject SshKeys sshKeys;
  @Inject ApiTokens apiTokens;
  @Inject CurrentUser currentUser;

  private transient List<SshKeys.Saved> keys;
  private transient List<ApiTokens.Listed> tokens;
  private String label;
  private String key;
  private String tokenName;
  private String tokenDays = DEFAULT_DAYS;
  private String tokenScope = DEFAULT_SCOPE;

  public List<SshKeys.Saved> getKeys() {
    if (keys == null) {
      keys = sshKeys.of(username());
    }
    return keys;
  }

  public String add() {
    try {
      SshKeys.Saved saved = sshKeys.add(username(), label, key);
      Messages.info("profile.added.done", saved.label(), saved.fingerprint());
      Messages.keepForRedirect();
      return "/profile?faces-redirect=true";
    } catch (InvalidInput e) {
      e.fields().forEach((field, rule) -> Messages.field("addKey:" + field, rule));
      return null;
    }
  }

  public String remove(long id) {
    if (sshKeys.remove(username(), id)) {
      Messages.info("profile.removed");
    }
    Messages.keepForRedirect();
    return "/profile?faces-redirect=true";
  }

  /** The caller's tokens that are not revoked, newest first. */
  public List<ApiTokens.Listed> getTokens() {
    if (tokens == null) {
      tokens = apiTokens.of(username());
    }
    return tokens;
  }

  /**
   * Creates a token and answers with this same page, which shows its text once. No redirect: the
   * text must not travel through the flash or the session to reach the next page.
   */
  public String createToken() {
    Integer days = null;
    boolean whole = true;
    if (tokenDays != null && !tokenDays.isBlank()) {
      try {
        days = Integer.valueOf(tokenDays.strip());
      } catch (NumberFormatException e) {
        whole = false;
      }
    }
    try {
      ApiTokens.Created created = apiTokens.create(username(), tokenName, days, tokenScope);
      ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
      external.getRequestMap().put(NEW_TOKEN, created);
      external.setResponseHeader("Cache-Control", "no-store");
      Messages.info("tokens.created", created.token().name());
      tokens = null;
      tokenName = null;
      tokenDays = DEFAULT_DAYS;
      tokenScope = DEFAULT_SCOPE;
    } catch (InvalidInput e) {
      boolean notWhole = !whole;
      e.fields()
          .forEach(
              (field, rule) -> {
                String input = TOKEN_INPUTS.get(field);
                if (input == null) {
                  Messages.error(rule);
                } else if (field.equals("expiresInDays") && notWhole) {
                  Messages.field(input, Messages.text("tokens.daysWhole"));
                } else {
                  Messages.field(input, rule);
                }
              });
    }
    return null;
  }

  /** The token created by this request, to show once; null on every other response. */
  public ApiTokens.Created getNewToken() {
    FacesContext faces = FacesContext.getCurrentInstance();
    return faces == null
        ? null
        : (ApiTokens.Created) faces.getExternalContext().getRequestMap().get(NEW_TOKEN);
  }

  /** The portal's address as the caller's browser reached it, ending in a slash, for examples. */
  public String getPortal() {
    ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
    String scheme = external.getRequestScheme();
    int port = external.getRequestServerPort();
    boolean defaultPort =
        ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
    return scheme
        + "://"
        + external.getRequestServerName()
        + (defaultPort ? "" : ":" + port)
        + external.getRequestContextPath()
        + "/";
  }

  /** Remove's question, naming the key by its label and fingerprint. */
  public String removeQuestion(String label, String fingerprint) {
    return Messages.text("profile.removeConfirm", label, fingerprint);
  }

  public String revokeQuestion(String name) {
    return Messages.text("tokens.revokeConfirm", name);
  }

  public String revokeToken(long id) {
    String name =
        getTokens().stream()
            .filter(t -> t.id() == id)
            .map(ApiTokens.Listed::name)
            .findFirst()
            .orElse(null);
    String me = username();
    if (apiTokens.revoke(me, id, me)) {
      Messages.info("tokens.revoked", name);
    } else {
      Messages.warn("tokens.notRevoked");
    }
    Messages.keepForRedirect();
    return "/profile?faces-redirect=true";
  }

  private String username() {
    return currentUser.account().orElseThrow().username();
  }

  public String getLabel() {
    return label;
  }

  public void setLabel(String label) {
    this.label = label;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getTokenName() {
    return tokenName;
  }

  public void setTokenName(String tokenName) {
    this.tokenName = tokenName;
  }

  public String getTokenDays() {
    return tokenDays;
  }

  public void setTokenDays(String tokenDays) {
    this.tokenDays = tokenDays;
  }

  public String getTokenScope() {
    return tokenScope;
  }

  public void setTokenScope(String tokenScope) {
    this.tokenScope = tokenScope;
  }
}
