package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import org.berth.identity.People;
import org.berth.requests.boundary.RequestQueries;

/** Backs {@code admin/index.xhtml}: the admins' overview. */
@Named
@ViewScoped
public class AdminHome implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject People people;
  @Inject RequestQueries requests;

  private List<People.Summary> signedIn;
  private Long waiting;

  public List<People.Summary> getPeople() {
    if (signedIn == null) {
      signedIn = people.all();
    }
    return signedIn;
  }

  /** How many requests wait for an admin's decision. */
  public long getWaiting() {
    if (waiting == null) {
      waiting = requests.waiting();
    }
    return waiting;
  }
}
