package org.berth.web.requests;

import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Map;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.platform.rest.ApiException;
import org.berth.platform.rest.InvalidInput;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.control.UnknownRequest;
import org.berth.requests.entity.RequestState;
import org.berth.web.Messages;

/**
 * Backs {@code requests/view.xhtml?id=N}: one request with its audit trail; its owner withdraws it
 * or extends its lease, admins approve or reject it. A request the caller may not see looks exactly
 * like one that does not exist.
 */
@Named
@ViewScoped
public class RequestPage implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the extension form offers first. */
  static final int DEFAULT_EXTENSION_DAYS = 7;

  @Inject Requests requests;
  @Inject CurrentUser currentUser;

  private String id;
  private transient RequestView request;
  private long requestId;
  private boolean missing;
  private String withdrawReason;
  private String rejectReason;
  private String days = String.valueOf(DEFAULT_EXTENSION_DAYS);

  /** Loads the request named by {@code id}; an unknown one (or someone else's) is a 404. */
  public void load() {
    try {
      requestId = Long.parseLong(id == null ? "" : id.strip());
      request = requests.find(requestId, me());
    } catch (NumberFormatException | UnknownRequest e) {
      missing = true;
      request = null;
      FacesContext.getCurrentInstance().getExternalContext().setResponseStatus(404);
    }
  }

  public String approve() {
    return act(
        () -> {
          requests.approve(requestId, getRequest().version(), me());
          Messages.info("requestPage.approved", getRequest().name());
        },
        Map.of(),
        null);
  }

  public String reject() {
    return act(
        () -> {
          requests.reject(requestId, getRequest().version(), rejectReason, me());
          Messages.info("requestPage.rejected", getRequest().name());
        },
        Map.of("reason", "rejectForm:reason"),
        "rejectForm:reason");
  }

  public String withdraw() {
    return act(
        () -> {
          RequestView after =
              requests.withdraw(requestId, getRequest().version(), withdrawReason, me());
          Messages.info(
              after.state() == RequestState.CANCELLED
                  ? "requestPage.cancelled"
                  : "requestPage.deleting",
              after.name());
        },
        Map.of("reason", "withdrawForm:withdrawReason"),
        "withdrawForm:withdrawReason");
  }

  public String extend() {
    return act(
        () -> {
          int by;
          try {
            by = Integer.parseInt(days == null ? "" : days.strip());
          } catch (NumberFormatException e) {
            throw new InvalidInput("days", Messages.text("request.notANumber"));
          }
          RequestView after = requests.extend(requestId, getRequest().version(), by, me());
          Messages.info("requestPage.extended", after.name());
        },
        Map.of("days", "actions:days"),
        null);
  }

  /**
   * Runs a change; on success shows the request again (fresh), otherwise says why not: a broken
   * rule beside the input {@code inputs} names for its field, anything else beside {@code
   * otherwise} (the input of a dialog, which hides the page's messages) or for the page.
   */
  private String act(Runnable change, Map<String, String> inputs, String otherwise) {
    try {
      change.run();
      Messages.keepForRedirect();
      return "/requests/view?faces-redirect=true&id=" + requestId;
    } catch (InvalidInput e) {
      e.fields()
          .forEach(
              (field, rule) -> {
                String input = inputs.get(field);
                if (input != null) {
                  Messages.field(input, rule);
                } else {
                  problem(otherwise, field + ": " + rule);
                }
              });
      return null;
    } catch (ApiException e) {
      problem(otherwise, e.getMessage());
      return null;
    }
  }

  private static void problem(String input, String sentence) {
    if (input == null) {
      Messages.error(sentence);
    } else {
      Messages.field(input, sentence);
    }
  }

  private Account me() {
    return currentUser.account().orElseThrow();
  }

  public RequestView getRequest() {
    if (request == null && !missing && requestId > 0) {
      request = requests.find(requestId, me());
    }
    return request;
  }

  public boolean isMissing() {
    return missing;
  }

  /** Whether the caller may withdraw the request or extend its lease: its owner or an admin. */
  public boolean isMayManage() {
    RequestView r = getRequest();
    return r != null && (r.owner().equals(me().username()) || currentUser.isAdmin());
  }

  public boolean isMayDecide() {
    RequestView r = getRequest();
    return r != null && currentUser.isAdmin() && r.decidable();
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getWithdrawReason() {
    return withdrawReason;
  }

  public void setWithdrawReason(String withdrawReason) {
    this.withdrawReason = withdrawReason;
  }

  public String getRejectReason() {
    return rejectReason;
  }

  public void setRejectReason(String rejectReason) {
    this.rejectReason = rejectReason;
  }

  public String getDays() {
    return days;
  }

  public void setDays(String days) {
    this.days = days;
  }
}
