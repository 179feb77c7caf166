package org.berth.web.ledger;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.berth.ledger.boundary.LedgerQueries;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

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

  private final class Entries extends LazyDataModel<LedgerQueries.Entry> {
    private static final long serialVersionUID = 1L;

    @Override
    public int count(Map<String, FilterMeta> filterBy) {
      return (int) queries.count(filter(filterBy));
    }

    @Override
    public List<LedgerQueries.Entry> load(
        int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
      String sort = "host";
      boolean descending = false;
      if (sortBy != null && !sortBy.isEmpty()) {
        SortMeta meta = sortBy.values().iterator().next();
        sort = meta.getField();
        descending = meta.getOrder() == SortOrder.DESCENDING;
      }
      return queries.entries(filter(filterBy), first, pageSize, sort, descending);
    }

    @Override
    public String getRowKey(LedgerQueries.Entry entry) {
      return entry.host();
    }

    private LedgerQueries.Filter filter(Map<String, FilterMeta> filterBy) {
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
