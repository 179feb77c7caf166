package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import org.berth.identity.People;

/** Backs {@code admin/index.xhtml}: the admins' overview. */
@Named
@ViewScoped
public class AdminHome implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject People people;

  private List<People.Summary> signedIn;

  public List<People.Summary> getPeople() {
    if (signedIn == null) {
      signedIn = people.all();
    }
    return signedIn;
  }
}
