package org.berth.web.ledger;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Map;
import org.berth.ledger.boundary.LedgerQueries;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;

/** Backs {@code ledger/index.xhtml}: every entry, paged, filtered and sorted in the database. */
@Named
@ViewScoped
public class LedgerPage implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject LedgerQueries queries;

  private final LazyDataModel<LedgerQueries.Entry> entries = new Entries();

  public LazyDataModel<LedgerQueries.Entry> getEntries() {
    return entries;
  }

  private final class Entries extends LedgerEntries {
    private static final long serialVersionUID = 1L;

    @Override
    protected LedgerQueries queries() {
      return queries;
    }

    @Override
    protected LedgerQueries.Filter filter(Map<String, FilterMeta> filterBy) {
      return new LedgerQueries.Filter(
          value(filterBy, "state"),
          value(filterBy, "globalFilter"),
          value(filterBy, "host"),
          value(filterBy, "ipv4"),
          value(filterBy, "mac"),
          value(filterBy, "holder"));
    }

    private static String value(Map<String, FilterMeta> filterBy, String field) {
      FilterMeta meta = filterBy == null ? null : filterBy.get(field);
      Object v = meta == null ? null : meta.getFilterValue();
      return v == null || v.toString().isBlank() ? null : v.toString();
    }
  }
}
