package org.berth.web.admin;

import jakarta.faces.component.UIComponent;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import org.berth.identity.CurrentUser;
import org.berth.requests.boundary.RequestQueries;
import org.berth.requests.boundary.Requests;
import org.berth.web.RequestRows;
import org.primefaces.component.datatable.DataTable;

/** Backs {@code admin/requests.xhtml}: everyone's requests, filtered by state and text, sorted. */
@Named
@ViewScoped
public class AllRequests implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject Requests requests;
  @Inject CurrentUser currentUser;

  private String state;
  private String q;
  private final RequestRows all = new All();

  /** A new filter starts the table at its first page. */
  public void filterChanged() {
    UIComponent table =
        FacesContext.getCurrentInstance().getViewRoot().findComponent("requests:all");
    if (table instanceof DataTable data) {
      data.setFirst(0);
    }
  }

  private final class All extends RequestRows {
    private static final long serialVersionUID = 1L;

    All() {
      super("id", true);
    }

    @Override
    protected RequestQueries.Filter filter() {
      return new RequestQueries.Filter(null, states(state), q, "id", true);
    }

    @Override
    protected RequestQueries.Page list(RequestQueries.Filter filter, int offset, int limit) {
      return requests.list(filter, currentUser.account().orElseThrow(), offset, limit);
    }
  }

  public RequestRows getAll() {
    return all;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getQ() {
    return q;
  }

  public void setQ(String q) {
    this.q = q;
  }
}
