package org.berth.provisioning.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.berth.hypervisor.Cluster;
import org.berth.hypervisor.GuestRef;
import org.berth.hypervisor.GuestStatus;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.HypervisorFailure;
import org.berth.hypervisor.PowerState;
import org.berth.identity.Account;
import org.berth.platform.refusal.InvalidInput;
import org.berth.provisioning.boundary.ReconciliationStore.Finding;
import org.berth.provisioning.boundary.ReconciliationStore.OnRecord;
import org.berth.provisioning.entity.ReconciliationFinding.Kind;
import org.berth.requests.boundary.Requests;
import org.berth.requests.control.NotAllowed;
import org.berth.requests.entity.RequestState;

/**
 * Compares Berth's guests with what the hypervisor has, and lists the differences for admins:
 * guests Berth records that the cluster lacks ({@code MISSING}), Berth-tagged guests no request
 * accounts for ({@code UNKNOWN}), guests found on another node ({@code MOVED}) and guests still
 * running after their lease ended ({@code STILL_RUNNING}). It changes nothing by itself; admins act
 * on each finding, and it never touches a guest without Berth's tag.
 */
@ApplicationScoped
public class Reconciliation {

  private static final Logger LOG = Logger.getLogger(Reconciliation.class.getName());

  @Inject Hypervisor hypervisor;
  @Inject ReconciliationStore store;
  @Inject ProvisioningStore provisioning;
  @Inject ProvisioningJobs jobs;
  @Inject Requests requests;

  /** One comparison; the findings replace the previous ones. */
  public ReconciliationStore.Report run() {
    Cluster cluster;
    try {
      cluster = hypervisor.cluster();
    } catch (HypervisorFailure e) {
      store.recordFailedRun(e.getMessage());
      return store.report();
    }
    store.replace(compare(cluster, store.onRecord()), cluster.berthGuests().size());
    return store.report();
  }

  static List<Finding> compare(Cluster cluster, List<OnRecord> records) {
    List<Finding> found = new ArrayList<>();
    Map<Long, OnRecord> byRequest =
        records.stream().collect(Collectors.toMap(OnRecord::id, Function.identity()));
    for (OnRecord r : records) {
      if (r.state() != RequestState.READY && r.state() != RequestState.EXPIRED) {
        continue;
      }
      Optional<GuestStatus> g = cluster.guest(r.vmid());
      if (g.isEmpty() || !g.get().carries(r.id())) {
        found.add(
            new Finding(
                0,
                Kind.MISSING,
                r.id(),
                r.node(),
                r.vmid(),
                "request "
                    + r.id()
                    + " ("
                    + r.name()
                    + ", "
                    + r.owner()
                    + ", "
                    + r.state().label()
                    + ") records VMID "
                    + r.vmid()
                    + " on "
                    + r.node()
                    + (g.isEmpty()
                        ? ", but the cluster has no guest with that VMID"
                        : ", but that VMID now holds '"
                            + g.get().name()
                            + "', which is not its guest"),
                null));
      } else if (!g.get().ref().node().equals(r.node())) {
        found.add(
            new Finding(
                0,
                Kind.MOVED,
                r.id(),
                g.get().ref().node(),
                r.vmid(),
                "VMID "
                    + r.vmid()
                    + " ("
                    + r.name()
                    + ") is on "
                    + g.get().ref().node()
                    + ", Berth records "
                    + r.node(),
                null));
      } else if (r.state() == RequestState.EXPIRED && g.get().power() == PowerState.RUNNING) {
        found.add(
            new Finding(
                0,
                Kind.STILL_RUNNING,
                r.id(),
                r.node(),
                r.vmid(),
                "VMID " + r.vmid() + " (" + r.name() + ") still runs although its lease has ended",
                null));
      }
    }
    for (GuestStatus g : cluster.berthGuests()) {
      OnRecord r = byRequest.get(g.requestId());
      if (r == null || r.vmid() != g.ref().vmid()) {
        found.add(
            new Finding(
                0,
                Kind.UNKNOWN,
                g.requestId(),
                g.ref().node(),
                g.ref().vmid(),
                "VMID "
                    + g.ref().vmid()
                    + " ('"
                    + g.name()
                    + "', "
                    + g.power().label().toLowerCase(java.util.Locale.ROOT)
                    + ") on "
                    + g.ref().node()
                    + " carries Berth's tag for request "
                    + g.requestId()
                    + (r == null
                        ? ", which has no guest in Berth"
                        : ", whose guest is VMID " + r.vmid()),
                null));
      }
    }
    return found;
  }

  /** The actions an admin can take on a finding. */
  public enum Action {
    /** MISSING: delete the request (its entry is released). */
    DELETE_REQUEST,
    /** UNKNOWN: stop and delete the Berth-tagged guest no request accounts for. */
    DELETE_GUEST,
    /** MOVED: record the node the guest is on now. */
    RECORD_NODE,
    /** STILL_RUNNING: shut the guest down. */
    STOP_GUEST,
    /** Any: hide the finding until the next run finds it again. */
    DISMISS
  }

  /** Acts on one finding (admins); the finding goes away. */
  public void act(long findingId, Action action, Account admin) {
    if (!admin.isAdmin()) {
      throw new NotAllowed("Only admins act on reconciliation findings");
    }
    Finding f =
        store
            .finding(findingId)
            .orElseThrow(
                () ->
                    new InvalidInput(
                        "finding", "there is no finding " + findingId + " (any more)"));
    switch (action) {
      case DISMISS -> {}
      case DELETE_REQUEST -> {
        require(f, Kind.MISSING, action);
        requests.withdraw(f.requestId(), -1, "its guest is missing on the hypervisor", admin);
      }
      case RECORD_NODE -> {
        require(f, Kind.MOVED, action);
        provisioning.moved(f.requestId(), f.node());
      }
      case STOP_GUEST -> {
        require(f, Kind.STILL_RUNNING, action);
        jobs.schedulePower(f.requestId(), Provisioner.PowerAction.SHUTDOWN);
      }
      case DELETE_GUEST -> {
        require(f, Kind.UNKNOWN, action);
        deleteUnknownGuest(f, admin);
      }
    }
    store.remove(findingId);
  }

  private void deleteUnknownGuest(Finding f, Account admin) {
    GuestStatus g =
        hypervisor
            .cluster()
            .guest(f.vmid())
            .filter(s -> s.ref().node().equals(f.node()))
            .orElse(null);
    if (g == null || !g.berths() || !g.requestId().equals(f.requestId())) {
      throw new InvalidInput(
          "finding",
          "VMID " + f.vmid() + " on " + f.node() + " no longer carries Berth's tag; not deleted");
    }
    if (store.onRecord().stream().anyMatch(r -> r.id() == f.requestId() && r.vmid() == f.vmid())) {
      throw new InvalidInput(
          "finding", "a request now accounts for VMID " + f.vmid() + "; not deleted");
    }
    GuestRef ref = g.ref();
    if (g.power() != PowerState.STOPPED) {
      hypervisor.stop(ref);
    }
    hypervisor.delete(ref);
    LOG.log(
        Level.INFO,
        "{0} deleted the Berth-tagged guest {1} that no request accounted for",
        new Object[] {admin.username(), ref});
  }

  private static void require(Finding f, Kind kind, Action action) {
    if (f.kind() != kind) {
      throw new InvalidInput(
          "action",
          action.name().toLowerCase()
              + " applies to "
              + kind.name().toLowerCase()
              + " findings only");
    }
  }
}
