package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import org.berth.identity.CurrentUser;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;
import org.berth.provisioning.boundary.Reconciliation;
import org.berth.provisioning.boundary.Reconciliation.Action;
import org.berth.provisioning.boundary.ReconciliationStore;
import org.berth.provisioning.boundary.ReconciliationStore.Finding;
import org.berth.web.Messages;

/**
 * Backs {@code admin/reconciliation.xhtml}: the last comparison of Berth's records with the
 * cluster, a comparison on demand, and the action that fits each finding (or dismissing it).
 * Nothing changes unless an admin acts on a finding.
 */
@Named
@ViewScoped
public class ReconciliationAdmin implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final String PAGE = "/admin/reconciliation?faces-redirect=true";

  @Inject Reconciliation reconciliation;
  @Inject ReconciliationStore store;
  @Inject CurrentUser currentUser;

  private transient ReconciliationStore.Report report;

  /** The last run and its findings. */
  public ReconciliationStore.Report getReport() {
    if (report == null) {
      report = store.report();
    }
    return report;
  }

  /** Compares now; the new findings replace the old ones. */
  public String checkNow() {
    ReconciliationStore.Report after = reconciliation.run();
    if (after.error() != null) {
      Messages.error(Messages.text("reconciliation.checkFailed", after.error()));
    } else {
      Messages.info("reconciliation.checked", after.findings().size());
    }
    Messages.keepForRedirect();
    return PAGE;
  }

  public String deleteRequest(Finding f) {
    return act(f, Action.DELETE_REQUEST);
  }

  /** Delete guest's question, naming the guest: its VMID, node and what the cluster calls it. */
  public String deleteGuestQuestion(Finding f) {
    return org.berth.web.Messages.text(
        "reconciliation.deleteGuestConfirm", f.vmid(), f.node(), f.detail());
  }

  /** Delete request's question, naming the request. */
  public String deleteRequestQuestion(Finding f) {
    return org.berth.web.Messages.text("reconciliation.deleteRequestConfirm", f.requestId());
  }

  public String deleteGuest(Finding f) {
    return act(f, Action.DELETE_GUEST);
  }

  public String recordNode(Finding f) {
    return act(f, Action.RECORD_NODE);
  }

  public String stopGuest(Finding f) {
    return act(f, Action.STOP_GUEST);
  }

  public String dismiss(Finding f) {
    return act(f, Action.DISMISS);
  }

  private String act(Finding f, Action action) {
    try {
      reconciliation.act(f.id(), action, currentUser.account().orElseThrow());
      Messages.info("reconciliation.done." + action.name(), f.requestId(), f.vmid(), f.node());
      Messages.keepForRedirect();
      return PAGE;
    } catch (InvalidInput e) {
      Messages.error(
          Messages.text("reconciliation.refused", String.join("; ", e.fields().values())));
    } catch (Refusal e) {
      Messages.error(Messages.text("reconciliation.refused", e.getMessage()));
    }
    report = null;
    return null;
  }
}
