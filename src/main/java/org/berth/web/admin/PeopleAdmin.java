package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.berth.identity.ApiTokens;
import org.berth.identity.CurrentUser;
import org.berth.identity.People;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.boundary.Quotas;
import org.berth.web.Messages;

/**
 * Backs {@code admin/people.xhtml}: everyone who has signed in, blocking and unblocking them, and
 * one person's API tokens ({@code ?tokensOf=}) in a dialog, to revoke.
 */
@Named
@ViewScoped
public class PeopleAdmin implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final String PAGE = "/admin/people?faces-redirect=true";

  @Inject People people;
  @Inject ApiTokens tokens;
  @Inject Quotas quotas;
  @Inject CurrentUser currentUser;

  private String tokensOf;
  private transient List<People.Summary> everyone;
  private transient Map<String, Integer> guests;
  private transient List<ApiTokens.Listed> personTokens;

  /** Shows the token dialog only for someone Berth has seen. */
  public void load() {
    if (tokensOf != null && (tokensOf.isBlank() || people.summary(tokensOf).isEmpty())) {
      tokensOf = null;
    }
  }

  public List<People.Summary> getPeople() {
    if (everyone == null) {
      everyone = people.all();
    }
    return everyone;
  }

  /**
   * How many requests of {@code username} count against their quota: the guests they hold or wait
   * for.
   */
  public int guests(String username) {
    if (guests == null) {
      guests =
          quotas.all().stream()
              .collect(
                  Collectors.toMap(Quotas.Standing::username, s -> s.used().guests(), (a, b) -> a));
    }
    return guests.getOrDefault(username, 0);
  }

  public String blockedBy(String admin) {
    return Messages.text("people.blockedBy", admin);
  }

  public String blockQuestion(String username) {
    return Messages.text("people.blockConfirm", username);
  }

  public String block(String username) {
    try {
      people.block(username, me());
    } catch (InvalidInput e) {
      Messages.error(Messages.text("people.blockRefused", username, rule(e)));
      return null;
    }
    Messages.info("people.blocked", username);
    Messages.keepForRedirect();
    return PAGE;
  }

  public String unblock(String username) {
    if (people.unblock(username)) {
      Messages.info("people.unblocked", username);
    } else {
      Messages.warn("people.notBlocked", username);
    }
    Messages.keepForRedirect();
    return PAGE;
  }

  /** The tokens of the person the dialog shows, not revoked, newest first. */
  public List<ApiTokens.Listed> getPersonTokens() {
    if (personTokens == null) {
      personTokens = tokensOf == null ? List.of() : tokens.of(tokensOf);
    }
    return personTokens;
  }

  public String revokeQuestion(String name) {
    return Messages.text("tokens.revokeConfirm", name);
  }

  /** Revokes one token of the person the dialog shows, and shows the dialog again. */
  public String revoke(long id) {
    String name =
        getPersonTokens().stream()
            .filter(t -> t.id() == id)
            .map(ApiTokens.Listed::name)
            .findFirst()
            .orElse(null);
    if (tokensOf != null && tokens.revoke(tokensOf, id, me())) {
      Messages.info("people.revoked", name, tokensOf);
    } else {
      Messages.warn("people.notRevoked");
    }
    Messages.keepForRedirect();
    return PAGE + "&includeViewParams=true";
  }

  private static String rule(InvalidInput e) {
    return String.join("; ", e.fields().values());
  }

  private String me() {
    return currentUser.account().orElseThrow().username();
  }

  public String getTokensOf() {
    return tokensOf;
  }

  public void setTokensOf(String tokensOf) {
    this.tokensOf = tokensOf;
  }
}
