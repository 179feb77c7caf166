package org.berth.web.ledger;

import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.berth.ledger.boundary.LedgerQueries;

/**
 * Backs {@code ledger/entry.xhtml}: one entry, the request that holds it (for its owner and admins)
 * or a way to request a guest on it when it is free, and the commits that changed it. An unknown
 * entry is a 404 page that keeps the navigation.
 */
@Named
@ViewScoped
public class EntryPage implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject LedgerQueries queries;
  @Inject org.berth.requests.boundary.Requests requests;
  @Inject org.berth.identity.CurrentUser currentUser;

  private String host;
  private LedgerQueries.Entry entry;
  private List<LedgerQueries.Change> history;
  private org.berth.requests.boundary.RequestView holding;
  private boolean missing;

  /** Loads the entry named by the {@code host} parameter; an unknown one is a 404. */
  public void load() throws IOException {
    entry = host == null || host.length() > 253 ? null : queries.entry(host).orElse(null);
    if (entry == null) {
      missing = true;
      FacesContext.getCurrentInstance().getExternalContext().setResponseStatus(404);
      return;
    }
    history = queries.history(entry.host());
    holding = currentUser.account().flatMap(me -> requests.holding(entry.host(), me)).orElse(null);
  }

  public boolean isMissing() {
    return missing;
  }

  /** The request holding the entry, when the caller may see it; null otherwise. */
  public org.berth.requests.boundary.RequestView getHolding() {
    return holding;
  }

  public boolean isFree() {
    return entry != null && "free".equals(entry.state());
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public LedgerQueries.Entry getEntry() {
    return entry;
  }

  public List<LedgerQueries.Change> getHistory() {
    return history;
  }
}
