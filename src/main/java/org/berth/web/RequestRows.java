package org.berth.web;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.berth.requests.boundary.RequestQueries;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.entity.RequestState;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

/**
 * Requests for a lazy {@code p:dataTable}: paged and sorted in the database through {@link
 * Requests#list}. The page's bean says which requests ({@link #filter}); a column's {@code field}
 * names the sort key ({@code id}, {@code created}, {@code name}, {@code owner}, {@code state},
 * {@code leaseEnds}).
 */
public abstract class RequestRows extends LazyDataModel<RequestView> {
  private static final long serialVersionUID = 1L;

  private final String defaultSort;
  private final boolean defaultDescending;

  protected RequestRows(String defaultSort, boolean defaultDescending) {
    this.defaultSort = defaultSort;
    this.defaultDescending = defaultDescending;
  }

  /** Which requests to list: owner, states and text; the sort is the table's. */
  protected abstract RequestQueries.Filter filter();

  /** One page of requests as {@link Requests#list} gives it to the caller. */
  protected abstract RequestQueries.Page list(RequestQueries.Filter filter, int offset, int limit);

  @Override
  public int count(Map<String, FilterMeta> filterBy) {
    return (int) list(sorted(null), 0, 1).total();
  }

  @Override
  public List<RequestView> load(
      int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
    return list(sorted(sortBy), first, pageSize).requests();
  }

  @Override
  public String getRowKey(RequestView request) {
    return String.valueOf(request.id());
  }

  @Override
  public RequestView getRowData(String rowKey) {
    List<RequestView> rows = getWrappedData();
    if (rows == null) {
      return null;
    }
    for (RequestView r : rows) {
      if (getRowKey(r).equals(rowKey)) {
        return r;
      }
    }
    return null;
  }

  private RequestQueries.Filter sorted(Map<String, SortMeta> sortBy) {
    RequestQueries.Filter f = filter();
    String sort = defaultSort;
    boolean descending = defaultDescending;
    if (sortBy != null && !sortBy.isEmpty()) {
      SortMeta meta = sortBy.values().iterator().next();
      sort = meta.getField();
      descending = meta.getOrder() == SortOrder.DESCENDING;
    }
    return new RequestQueries.Filter(f.owner(), f.states(), f.q(), sort, descending);
  }

  /** The states of a filter's choice: one state by name, or all for null or blank. */
  public static Set<RequestState> states(String state) {
    return state == null || state.isBlank() ? Set.of() : Set.of(RequestState.valueOf(state));
  }
}
