package org.berth.web.ledger;

import java.util.List;
import java.util.Map;
import org.berth.ledger.boundary.LedgerQueries;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

/**
 * Ledger entries for a lazy PrimeFaces table, paged, filtered and sorted in the database. A page
 * says how the table's filters become a {@link LedgerQueries.Filter}.
 */
public abstract class LedgerEntries extends LazyDataModel<LedgerQueries.Entry> {
  private static final long serialVersionUID = 1L;

  /** The queries, from the page's bean (a serializable CDI proxy). */
  protected abstract LedgerQueries queries();

  /** The filter for the table's current filter values. */
  protected abstract LedgerQueries.Filter filter(Map<String, FilterMeta> filterBy);

  @Override
  public int count(Map<String, FilterMeta> filterBy) {
    return (int) queries().count(filter(filterBy));
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
    return queries().entries(filter(filterBy), first, pageSize, sort, descending);
  }

  @Override
  public String getRowKey(LedgerQueries.Entry entry) {
    return entry.host();
  }

  @Override
  public LedgerQueries.Entry getRowData(String rowKey) {
    return queries().entry(rowKey).orElse(null);
  }
}
