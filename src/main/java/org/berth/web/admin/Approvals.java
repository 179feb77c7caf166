package org.berth.web.admin;

import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;
import org.berth.requests.boundary.RequestQueries;
import org.berth.requests.boundary.RequestSettings;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.entity.RequestState;
import org.berth.web.Messages;
import org.berth.web.RequestRows;

/**
 * Backs {@code admin/approvals.xhtml}: the requests that wait for an admin, oldest first. Approve
 * several at once or one by one, or reject one with a reason. Requests the boundary refuses to
 * approve keep their refusal beside them after the page reloads.
 */
@Named
@ViewScoped
public class Approvals implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The flash attribute that carries refusals across the redirect. */
  static final String REFUSALS = "berth.approvals.refusals";

  @Inject Requests requests;
  @Inject RequestSettings settings;
  @Inject CurrentUser currentUser;

  private final RequestRows queue = new Queue();
  private transient List<RequestView> selected = new ArrayList<>();
  private Map<Long, String> refusals = new LinkedHashMap<>();
  private long rejectingId;
  private long rejectingVersion;
  private String rejectingName;
  private String reason;

  /** Takes over the refusals of the approval that led here. */
  @SuppressWarnings("unchecked")
  public void load() {
    Object carried =
        FacesContext.getCurrentInstance().getExternalContext().getFlash().get(REFUSALS);
    if (carried instanceof Map<?, ?> map) {
      refusals = new LinkedHashMap<>((Map<Long, String>) map);
    }
  }

  /** Why a request waits for an admin: each auto-approval limit it passes, or nothing. */
  public String why(RequestView r) {
    return String.join(
        "; ",
        settings
            .policy()
            .autoApprove()
            .beyond(r.cores(), r.memoryMib(), r.diskGib(), r.leaseDays()));
  }

  public String approveSelected() {
    List<RequestView> chosen = getSelected();
    if (chosen.isEmpty()) {
      Messages.warn("approvals.noneSelected");
      return null;
    }
    Map<Long, String> refused =
        new LinkedHashMap<>(
            requests.approveAll(chosen.stream().map(RequestView::id).toList(), me()));
    int approved = chosen.size() - refused.size();
    if (approved > 0) {
      Messages.info("approvals.approved", approved);
    }
    for (RequestView r : chosen) {
      if (refused.containsKey(r.id())) {
        Messages.error(Messages.text("approvals.refused", r.name(), refused.get(r.id())));
      }
    }
    return reload(refused);
  }

  public String approve(long id, long version, String name) {
    try {
      requests.approve(id, version, me());
      Messages.info("requestPage.approved", name);
      return reload(Map.of());
    } catch (Refusal e) {
      Messages.error(Messages.text("approvals.refused", name, e.getMessage()));
      return reload(Map.of(id, e.getMessage()));
    }
  }

  /** Chooses the request the rejection dialog is about. */
  public void chooseRejection(long id, long version, String name) {
    rejectingId = id;
    rejectingVersion = version;
    rejectingName = name;
    reason = null;
  }

  public String reject() {
    try {
      requests.reject(rejectingId, rejectingVersion, reason, me());
      Messages.info("requestPage.rejected", rejectingName);
      return reload(Map.of());
    } catch (InvalidInput e) {
      e.fields().values().forEach(rule -> Messages.field("rejectForm:reason", rule));
      return null;
    } catch (Refusal e) {
      Messages.field("rejectForm:reason", e.getMessage());
      return null;
    }
  }

  private String reload(Map<Long, String> refused) {
    Messages.keepForRedirect();
    FacesContext.getCurrentInstance()
        .getExternalContext()
        .getFlash()
        .put(REFUSALS, new LinkedHashMap<>(refused));
    return "/admin/approvals?faces-redirect=true";
  }

  /** Why the last approval of a request was refused, or null. */
  public String refusal(long id) {
    return refusals.get(id);
  }

  private Account me() {
    return currentUser.account().orElseThrow();
  }

  private final class Queue extends RequestRows {
    private static final long serialVersionUID = 1L;

    Queue() {
      super("created", false);
    }

    @Override
    protected RequestQueries.Filter filter() {
      return new RequestQueries.Filter(
          null, Set.of(RequestState.SUBMITTED), null, "created", false);
    }

    @Override
    protected RequestQueries.Page list(RequestQueries.Filter filter, int offset, int limit) {
      return requests.list(filter, me(), offset, limit);
    }
  }

  public RequestRows getQueue() {
    return queue;
  }

  public List<RequestView> getSelected() {
    return selected == null ? List.of() : selected;
  }

  public void setSelected(List<RequestView> selected) {
    this.selected = selected == null ? new ArrayList<>() : new ArrayList<>(selected);
  }

  public String getRejectingName() {
    return rejectingName;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }
}
