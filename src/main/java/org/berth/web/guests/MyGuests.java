package org.berth.web.guests;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Optional;
import java.util.Set;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.platform.refusal.Refusal;
import org.berth.requests.boundary.RequestQueries;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.entity.RequestState;
import org.berth.web.FieldProblems;
import org.berth.web.Messages;
import org.berth.web.RequestRows;

/**
 * Backs {@code guests/index.xhtml}: the caller's own requests (an admin's too, not everyone's),
 * newest first, with cancelling or deleting and extending the lease.
 */
@Named
@ViewScoped
public class MyGuests implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the extension dialog offers first. */
  static final int DEFAULT_EXTENSION_DAYS = 7;

  @Inject Requests requests;
  @Inject CurrentUser currentUser;
  @Inject org.berth.requests.boundary.RequestSettings settings;

  private boolean showFinished;
  private long targetId;
  private long targetVersion;
  private String targetName;
  private java.time.Instant targetLeaseEnds;
  private String days = String.valueOf(DEFAULT_EXTENSION_DAYS);
  private final RequestRows guests = new Mine();

  /** Cancels a request without a guest, or deletes the guest. */
  public String withdraw(long id, long version) {
    try {
      RequestView after = requests.withdraw(id, version, null, me());
      Messages.info(
          after.state() == RequestState.CANCELLED ? "guests.cancelled" : "guests.deleting",
          after.name());
      Messages.keepForRedirect();
      return "/guests/index?faces-redirect=true";
    } catch (Refusal e) {
      Messages.error(e.getMessage());
      return null;
    }
  }

  /** Chooses the request the extension dialog is about. */
  public void chooseExtension(long id, long version, String name, java.time.Instant leaseEnds) {
    targetId = id;
    targetVersion = version;
    targetName = name;
    targetLeaseEnds = leaseEnds;
    days = String.valueOf(DEFAULT_EXTENSION_DAYS);
  }

  public String extend() {
    FieldProblems problems = new FieldProblems();
    try {
      int by = problems.required("days", days, Messages.text("request.notANumber"));
      problems.refuseNotNumbers();
      RequestView after = requests.extend(targetId, targetVersion, by, me());
      Messages.info("requestPage.extended", after.name());
      Messages.keepForRedirect();
      return "/guests/index?faces-redirect=true";
    } catch (Refusal e) {
      // The dialog hides the page's messages: everything is said beside its one input.
      problems.file(e, (field, rule) -> Optional.of(new FieldProblems.Placed("days", rule)));
      problems.show("extendForm", input -> true);
      problems.elsewhere().forEach(sentence -> Messages.field("extendForm:days", sentence));
      return null;
    }
  }

  private Account me() {
    return currentUser.account().orElseThrow();
  }

  private final class Mine extends RequestRows {
    private static final long serialVersionUID = 1L;

    Mine() {
      super("id", true);
    }

    @Override
    protected RequestQueries.Page list(RequestQueries.Filter filter, int offset, int limit) {
      return requests.list(filter, me(), offset, limit);
    }

    @Override
    protected RequestQueries.Filter filter() {
      Set<RequestState> states = showFinished ? Set.of() : RequestState.live();
      return new RequestQueries.Filter(me().username(), states, null, "id", true);
    }
  }

  public RequestRows getGuests() {
    return guests;
  }

  public boolean isShowFinished() {
    return showFinished;
  }

  public void setShowFinished(boolean showFinished) {
    this.showFinished = showFinished;
  }

  public String getTargetName() {
    return targetName;
  }

  public String getDays() {
    return days;
  }

  public void setDays(String days) {
    this.days = days;
  }

  /** The lease's current end, for the extend dialog. */
  public java.time.Instant getTargetLeaseEnds() {
    return targetLeaseEnds;
  }

  /** The latest end a lease may have: {@code berth.requests.lease-max-days} from now. */
  public java.time.Instant getLatestLeaseEnd() {
    return java.time.Instant.now()
        .plus(java.time.Duration.ofDays(settings.policy().leaseMaxDays()));
  }

  /** How many more days the lease can be extended by, as extending counts them. */
  public long getMostExtensionDays() {
    java.time.Instant now = java.time.Instant.now();
    java.time.Instant base =
        targetLeaseEnds == null || targetLeaseEnds.isBefore(now) ? now : targetLeaseEnds;
    return Math.max(0, java.time.Duration.between(base, getLatestLeaseEnd()).toDays());
  }

  public int getLeaseMaxDays() {
    return settings.policy().leaseMaxDays();
  }
}
