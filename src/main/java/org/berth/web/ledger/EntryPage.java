package org.berth.web.ledger;

import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.berth.ledger.boundary.LedgerQueries;

/** Backs {@code ledger/entry.xhtml}: one entry and the commits that changed it. */
@Named
@ViewScoped
public class EntryPage implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject LedgerQueries queries;

  private String host;
  private LedgerQueries.Entry entry;
  private List<LedgerQueries.Change> history;

  /** Loads the entry named by the {@code host} parameter; an unknown one is a 404. */
  public void load() throws IOException {
    entry = host == null ? null : queries.entry(host).orElse(null);
    if (entry == null) {
      FacesContext.getCurrentInstance()
          .getExternalContext()
          .responseSendError(404, "no such entry");
      FacesContext.getCurrentInstance().responseComplete();
      return;
    }
    history = queries.history(entry.host());
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
