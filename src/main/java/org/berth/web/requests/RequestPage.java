package org.berth.web.requests;

import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.berth.access.boundary.ReverseProxy;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.platform.refusal.Refusal;
import org.berth.provisioning.boundary.Guests;
import org.berth.provisioning.boundary.Provisioner.PowerAction;
import org.berth.requests.boundary.GuestLog.Line;
import org.berth.requests.boundary.GuestLog.Outcome;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.control.AccessPoints.GuestAccess;
import org.berth.requests.control.UnknownRequest;
import org.berth.requests.entity.RequestState;
import org.berth.web.FieldProblems;
import org.berth.web.Messages;

/**
 * Backs {@code requests/view.xhtml?id=N}: one request with its guest, provisioning log and audit
 * trail; its owner withdraws it, extends its lease, starts, stops or reboots its guest and tries a
 * failed one again, admins approve or reject it. A request the caller may not see looks exactly
 * like one that does not exist.
 *
 * <p>While the guest is being created or deleted, or a power action asked for here has not shown
 * its outcome in the log yet, the page polls: the guest section refreshes, and the whole page
 * reloads once the request has moved to another state.
 */
@Named
@ViewScoped
public class RequestPage implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the extension form offers first. */
  static final int DEFAULT_EXTENSION_DAYS = 7;

  /** How long the page waits for a power action to show its outcome before it stops polling. */
  static final Duration POWER_WAIT = Duration.ofMinutes(2);

  /** The flash attribute that carries a power action just asked for across the redirect. */
  static final String AWAITING = "berth.requestPage.awaiting";

  /** The states in which Berth is at work on the guest by itself. */
  static final Set<RequestState> BUSY =
      Set.of(RequestState.APPROVED, RequestState.PROVISIONING, RequestState.DELETING);

  @Inject Requests requests;
  @Inject Guests guests;
  @Inject CurrentUser currentUser;
  @Inject AccessPoints accessPoints;
  @Inject org.berth.web.RequestStates requestStates;
  @Inject ReverseProxy reverseProxy;
  @Inject org.berth.provisioning.boundary.ProvisioningSettings provisioningSettings;
  @Inject org.berth.provisioning.boundary.Snapshots snapshotService;
  @Inject org.berth.provisioning.boundary.Consoles consoles;

  private String id;
  private transient RequestView request;
  private transient Guests.Detail guest;
  private transient Optional<GuestAccess> access;
  private RequestState shownState;
  private Awaiting awaiting;
  private transient org.berth.provisioning.boundary.Snapshots.Listing snapshots;
  private transient String snapshotProblem;
  private String snapshotName;
  private long requestId;
  private boolean missing;
  private String withdrawReason;
  private String confirmName;
  private String rejectReason;
  private String days = String.valueOf(DEFAULT_EXTENSION_DAYS);

  /** Loads the request named by {@code id}; an unknown one (or someone else's) is a 404. */
  public void load() {
    try {
      requestId = Long.parseLong(id == null ? "" : id.strip());
      request = requests.find(requestId, me());
      access = null;
      shownState = request.state();
      guest = null;
      if (FacesContext.getCurrentInstance().getExternalContext().getFlash().get(AWAITING)
          instanceof Awaiting asked) {
        awaiting = asked;
      }
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
    RequestView shown = getRequest();
    if (shown != null
        && !requestStates.cancels(shown.state())
        && !shown.name().equals(confirmName == null ? "" : confirmName.strip())) {
      // Deleting a guest is for good: its name, typed, says which one is meant.
      Messages.field(
          "withdrawForm:confirmName", Messages.text("guests.deleteNameRule", shown.name()));
      return null;
    }
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
          FieldProblems typed = new FieldProblems();
          int by = typed.required("days", days, Messages.text("request.notANumber"));
          typed.refuseNotNumbers();
          RequestView after = requests.extend(requestId, getRequest().version(), by, me());
          Messages.info("requestPage.extended", after.name());
        },
        Map.of("days", "actions:days"),
        null);
  }

  /** Retries a failed request: it is approved again and Berth creates its guest anew. */
  public String retry() {
    return act(
        () -> {
          RequestView after = requests.retry(requestId, getRequest().version(), me());
          Messages.info("guest.retried", after.name());
        },
        Map.of(),
        null);
  }

  public String start() {
    return power(PowerAction.START);
  }

  public String stop() {
    return power(PowerAction.SHUTDOWN);
  }

  public String forceStop() {
    return power(PowerAction.STOP);
  }

  /** Whether the caller may see and change the guest's snapshots: a READY or EXPIRED one. */
  public boolean isMaySnapshot() {
    Guests.Detail g = getGuest();
    return isMayManage()
        && g != null
        && g.ref() != null
        && org.berth.provisioning.boundary.SnapshotAction.DELETE
            .allowedIn()
            .contains(g.request().state());
  }

  /** The guest's snapshots; null when they cannot be read now ({@link #getSnapshotProblem}). */
  public org.berth.provisioning.boundary.Snapshots.Listing getSnapshots() {
    if (snapshots == null && snapshotProblem == null && isMaySnapshot()) {
      try {
        snapshots = snapshotService.list(requestId, me());
      } catch (Refusal e) {
        snapshotProblem = e.getMessage();
      }
    }
    return snapshots;
  }

  public String getSnapshotProblem() {
    getSnapshots();
    return snapshotProblem;
  }

  public String takeSnapshot() {
    return snapshot(
        org.berth.provisioning.boundary.SnapshotAction.TAKE,
        snapshotName == null ? null : snapshotName.strip());
  }

  public String rollback(String name) {
    return snapshot(org.berth.provisioning.boundary.SnapshotAction.ROLLBACK, name);
  }

  public String deleteSnapshot(String name) {
    return snapshot(org.berth.provisioning.boundary.SnapshotAction.DELETE, name);
  }

  /** Asks for a snapshot action; a job carries it out, and the page polls till its outcome. */
  private String snapshot(org.berth.provisioning.boundary.SnapshotAction action, String name) {
    return act(
        () -> {
          Instant asked = Instant.now();
          snapshotService.ask(requestId, action, name, me());
          Messages.info(
              "snapshot.asked." + action.name().toLowerCase(Locale.ROOT),
              name,
              getRequest().name());
          FacesContext.getCurrentInstance()
              .getExternalContext()
              .getFlash()
              .put(AWAITING, new Awaiting(asked, true));
        },
        Map.of("name", "snapshots:snapshotName"),
        null);
  }

  /** What Roll back's confirmation says: the guest, the snapshot, and what is lost. */
  public String rollbackQuestion(org.berth.hypervisor.Snapshot s) {
    return Messages.text(
        "snapshot.rollbackConfirm",
        getRequest().name(),
        s.name(),
        new org.berth.web.InstantConverter().getAsString(null, null, s.taken()));
  }

  public String deleteSnapshotQuestion(org.berth.hypervisor.Snapshot s) {
    return Messages.text("snapshot.deleteConfirm", getRequest().name(), s.name());
  }

  public String getSnapshotName() {
    return snapshotName;
  }

  public void setSnapshotName(String snapshotName) {
    this.snapshotName = snapshotName;
  }

  /** What Stop's confirmation says: the guest's name and what happens if its OS does not stop. */
  public String getStopQuestion() {
    RequestView r = getRequest();
    return Messages.text(
        "guest.stopConfirm", r.name(), provisioningSettings.shutdownTimeout().toSeconds());
  }

  /** What Force stop's confirmation says: the guest's name and that unsaved work is lost. */
  public String getForceStopQuestion() {
    return Messages.text("guest.forceStopConfirm", getRequest().name());
  }

  public String reboot() {
    return power(PowerAction.REBOOT);
  }

  /** Asks for a power action; a job carries it out a moment later, and the page polls till then. */
  private String power(PowerAction action) {
    return act(
        () -> {
          Instant asked = Instant.now();
          guests.power(requestId, action, me());
          Messages.info(
              "guest.requested." + action.name().toLowerCase(Locale.ROOT), getRequest().name());
          FacesContext.getCurrentInstance()
              .getExternalContext()
              .getFlash()
              .put(AWAITING, new Awaiting(asked, false));
        },
        Map.of(),
        null);
  }

  /**
   * The poll: reads the guest again, or reloads the page once the request has moved to another
   * state (its facts and actions change with it).
   */
  public void refresh() {
    Guests.Detail fresh;
    try {
      fresh = guests.detail(requestId, me());
    } catch (UnknownRequest e) {
      reload();
      return;
    }
    if (fresh.request().state() != shownState) {
      reload();
      return;
    }
    guest = fresh;
    // The snapshots are read again only while a snapshot action may change them: a power action,
    // or Berth at work on the guest, leaves them as they are.
    if ((awaiting != null && awaiting.snapshots()) || (snapshots != null && snapshots.pending())) {
      snapshots = null;
      snapshotProblem = null;
    }
    if (awaiting != null && awaiting.settled(fresh.log(), Instant.now())) {
      awaiting = null;
    }
  }

  private void reload() {
    FacesContext faces = FacesContext.getCurrentInstance();
    faces
        .getApplication()
        .getNavigationHandler()
        .handleNavigation(faces, null, "/requests/view?faces-redirect=true&id=" + requestId);
  }

  /** Whether the page keeps polling: Berth is at work on the guest, or a power action is due. */
  public boolean isPolling() {
    Guests.Detail g = getGuest();
    if (g == null) {
      return false;
    }
    return BUSY.contains(g.request().state())
        || (awaiting != null && !awaiting.settled(g.log(), Instant.now()));
  }

  /**
   * A power or snapshot action asked for at {@code since}. It has settled once the log shows an
   * outcome after that (it is done, failed, or had nothing to do), or after {@link #POWER_WAIT} in
   * any case.
   *
   * @param snapshots whether it was a snapshot action, which changes the snapshots shown
   */
  record Awaiting(Instant since, boolean snapshots) implements Serializable {

    boolean settled(List<Line> log, Instant now) {
      return now.isAfter(since.plus(POWER_WAIT))
          || log.stream()
              .anyMatch(
                  line ->
                      !line.at().isBefore(since)
                          && line.outcome() != Outcome.STARTED
                          && line.outcome() != Outcome.RETRY);
    }
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
    } catch (Refusal e) {
      FieldProblems problems = new FieldProblems();
      problems.file(e, FieldProblems.Inputs.of(inputs));
      problems.show(null, input -> true);
      problems.elsewhere().forEach(sentence -> problem(otherwise, sentence));
      guest = null;
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

  /** How to reach the guest (web address, SSH block); null until it is READY. */
  public GuestAccess getAccess() {
    RequestView r = getRequest();
    if (access == null && r != null) {
      access = r.accessTarget().flatMap(accessPoints::of);
    }
    return access == null ? null : access.orElse(null);
  }

  /** Whether Berth writes routes to a reverse proxy (otherwise web addresses are not served). */
  public boolean isProxyConfigured() {
    return reverseProxy.writer().isPresent();
  }

  /** The guest with its live power state and provisioning log; null when the page has none. */
  public Guests.Detail getGuest() {
    if (guest == null && getRequest() != null) {
      guest = guests.detail(requestId, me());
    }
    return guest;
  }

  /** What the guest section says when there is no guest (yet, or any more). */
  public String getNoGuest() {
    RequestState state = getRequest().state();
    switch (state) {
      case REJECTED:
        return Messages.text("guest.neverRejected");
      case CANCELLED:
        return Messages.text("guest.neverCancelled");
      default:
        break;
    }
    if (state.terminal()) {
      return Messages.text("guest.gone");
    }
    return Messages.text(
        switch (state) {
          case SUBMITTED -> "guest.afterApproval";
          case APPROVED, PROVISIONING -> "guest.creating";
          default -> "guest.none";
        });
  }

  /** Whether the page offers a console: the hypervisor opens them at all. */
  public boolean isConsoleOffered() {
    return consoles.offered();
  }

  /** Whether the caller may start or reboot the guest: a READY one they manage. */
  public boolean isMayPower() {
    Guests.Detail g = getGuest();
    return isMayManage()
        && g != null
        && g.ref() != null
        && Guests.allows(g.request().state(), PowerAction.START);
  }

  /** Whether the caller may shut the guest down: a READY or EXPIRED one they manage. */
  public boolean isMayStop() {
    Guests.Detail g = getGuest();
    return isMayManage()
        && g != null
        && g.ref() != null
        && Guests.allows(g.request().state(), PowerAction.SHUTDOWN);
  }

  public boolean isMayRetry() {
    RequestView r = getRequest();
    return r != null && isMayManage() && r.state().allowsRetry();
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

  /** The guest's name as typed to confirm deleting it. */
  public String getConfirmName() {
    return confirmName;
  }

  public void setConfirmName(String confirmName) {
    this.confirmName = confirmName;
  }
}
