package org.berth.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

/** Backs the layout's sign-out button. */
@Named
@RequestScoped
public class SignOut {

  @Inject FacesContext faces;

  /** Ends the session and shows the sign-in page. */
  public String signOut() throws ServletException {
    ExternalContext external = faces.getExternalContext();
    ((HttpServletRequest) external.getRequest()).logout();
    external.invalidateSession();
    return "/login?faces-redirect=true&signedOut=true";
  }
}
