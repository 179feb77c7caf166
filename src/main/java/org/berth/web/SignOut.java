package org.berth.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import org.berth.identity.BerthAuthentication;
import org.berth.identity.CurrentUser;
import org.berth.identity.OpenIdProvider;

/**
 * Backs the layout's sign-out button: ends Berth's session and, with an identity provider, the
 * provider's session too (RP-initiated logout), which then returns to the signed-out page.
 */
@Named
@RequestScoped
public class SignOut {

  @Inject FacesContext faces;
  @Inject CurrentUser currentUser;
  @Inject OpenIdProvider provider;

  public void signOut() throws ServletException, IOException {
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    Optional<String> idToken = BerthAuthentication.idToken(request);
    boolean sso = currentUser.isSingleSignOn();
    request.logout();
    external.invalidateSession();
    String next =
        sso
            ? provider
                .endSession(idToken.orElse(null))
                .map(Object::toString)
                .orElse(request.getContextPath() + "/signed-out.xhtml")
            : request.getContextPath() + "/login.xhtml?signedOut=true";
    external.redirect(next);
    faces.responseComplete();
  }
}
