package org.berth.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ResourceBundle;
import org.berth.identity.BerthAuthentication;

/** Backs {@code login.xhtml}: signs in with a demo account's user name and password. */
@Named
@RequestScoped
public class Login {

  @Inject SecurityContext security;
  @Inject FacesContext faces;
  @Inject BerthAuthentication authentication;

  private String username;
  private String password;
  private boolean signedOut;

  /** Signs in and returns to the page that asked for it, or shows why not. */
  public void signIn() throws IOException {
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    HttpServletResponse response = (HttpServletResponse) external.getResponse();
    AuthenticationStatus status =
        security.authenticate(
            request,
            response,
            AuthenticationParameters.withParams()
                .newAuthentication(true)
                .credential(new UsernamePasswordCredential(username, password)));
    password = null;
    switch (status) {
      case SUCCESS -> {
        external.redirect(BerthAuthentication.returnTarget(request));
        faces.responseComplete();
      }
      case SEND_CONTINUE -> faces.responseComplete();
      default -> {
        ResourceBundle msg = faces.getApplication().getResourceBundle(faces, "msg");
        String key =
            authentication.isThrottled(request, username) ? "login.throttled" : "login.failed";
        faces.addMessage(
            null, new FacesMessage(FacesMessage.SEVERITY_ERROR, msg.getString(key), null));
      }
    }
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return null;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public boolean isSignedOut() {
    return signedOut;
  }

  public void setSignedOut(boolean signedOut) {
    this.signedOut = signedOut;
  }
}
