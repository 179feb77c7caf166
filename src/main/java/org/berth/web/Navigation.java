package org.berth.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.berth.identity.CurrentUser;
import org.berth.requests.boundary.RequestQueries;

/**
 * What the navigation shows on every page ({@code #{navigation}}): which of its links is the page
 * shown, and for admins how many requests wait for approval.
 */
@Named
@RequestScoped
public class Navigation {

  @Inject CurrentUser currentUser;
  @Inject RequestQueries requests;

  private Long waiting;

  /** Whether the page shown is under {@code folder} ("/guests/"), or is that page ("/profile"). */
  public boolean current(String path) {
    FacesContext faces = FacesContext.getCurrentInstance();
    if (faces == null || faces.getViewRoot() == null) {
      return false;
    }
    String view = faces.getViewRoot().getViewId();
    return path.endsWith("/") ? view.startsWith(path) : view.equals(path + ".xhtml");
  }

  /** The CSS class of a navigation link: marked when it is the page shown. */
  public String linkClass(String path) {
    return current(path) ? "berth-nav-current" : "";
  }

  /** How many requests wait for an admin; 0 for everyone else, who is not asked. */
  public long getWaiting() {
    if (waiting == null) {
      waiting = currentUser.isAdmin() ? requests.waiting() : 0L;
    }
    return waiting;
  }
}
