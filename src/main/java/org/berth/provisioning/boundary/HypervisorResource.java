package org.berth.provisioning.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import org.berth.hypervisor.GuestStatus;
import org.berth.identity.CurrentUser;
import org.berth.identity.Role;
import org.berth.platform.refusal.InvalidInput;
import org.berth.provisioning.boundary.ReconciliationStore.Finding;

/**
 * {@code /api/hypervisor} (admins): the cluster's nodes with capacity and Berth's guests, and
 * reconciliation: the last findings, a run on demand, and the actions on a finding.
 */
@Path("hypervisor")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN)
public class HypervisorResource {

  @Inject ClusterOverview cluster;
  @Inject Reconciliation reconciliation;
  @Inject ReconciliationStore findings;
  @Inject CurrentUser currentUser;

  @GET
  public JsonObject overview() {
    ClusterOverview.Overview o = cluster.overview();
    JsonArrayBuilder nodes = Json.createArrayBuilder();
    for (ClusterOverview.Node n : o.nodes()) {
      JsonArrayBuilder guests = Json.createArrayBuilder();
      for (GuestStatus g : n.guests()) {
        guests.add(
            Json.createObjectBuilder()
                .add("vmid", g.ref().vmid())
                .add("type", g.ref().type().name().toLowerCase(Locale.ROOT))
                .add("name", g.name())
                .add("power", g.power().name().toLowerCase(Locale.ROOT))
                .add("request", g.requestId()));
      }
      nodes.add(
          Json.createObjectBuilder()
              .add("name", n.capacity().name())
              .add("online", n.capacity().online())
              .add("memoryMiB", n.capacity().memoryMib())
              .add("usedMemoryMiB", n.capacity().usedMemoryMib())
              .add("cpus", n.capacity().cpus())
              .add("creating", n.creating())
              .add("slots", n.slots())
              .add("guests", guests));
    }
    JsonObjectBuilder out =
        Json.createObjectBuilder()
            .add("description", o.description())
            .add("simulated", o.simulated())
            .add("nodes", nodes);
    if (o.error() != null) {
      out.add("error", o.error());
    }
    return out.build();
  }

  @GET
  @Path("reconciliation")
  public JsonObject findings() {
    return json(findings.report());
  }

  /** Compares Berth's records with the cluster now and answers with the findings. */
  @POST
  @Path("reconciliation")
  public JsonObject reconcile() {
    return json(reconciliation.run());
  }

  /**
   * Acts on a finding: {@code delete-request} (missing), {@code delete-guest} (unknown), {@code
   * record-node} (moved), {@code stop-guest} (still running) or {@code dismiss}.
   */
  @POST
  @Path("reconciliation/{finding}/{action}")
  public JsonObject act(@PathParam("finding") String finding, @PathParam("action") String action) {
    Reconciliation.Action a;
    try {
      a = Reconciliation.Action.valueOf(action.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new InvalidInput(
          "action", "must be delete-request, delete-guest, record-node, stop-guest or dismiss");
    }
    long id;
    try {
      id = Long.parseLong(finding);
    } catch (NumberFormatException e) {
      throw new InvalidInput("finding", "must be a finding's number");
    }
    reconciliation.act(id, a, currentUser.account().orElseThrow());
    return json(findings.report());
  }

  private static JsonObject json(ReconciliationStore.Report r) {
    JsonArrayBuilder list = Json.createArrayBuilder();
    for (Finding f : r.findings()) {
      JsonObjectBuilder item =
          Json.createObjectBuilder()
              .add("id", f.id())
              .add("kind", f.kind().name().toLowerCase(Locale.ROOT))
              .add("detail", f.detail())
              .add("found", f.found().toString());
      if (f.requestId() != null) {
        item.add("request", f.requestId());
      }
      if (f.node() != null) {
        item.add("node", f.node());
      }
      if (f.vmid() != null) {
        item.add("vmid", f.vmid());
      }
      list.add(item);
    }
    JsonObjectBuilder out = Json.createObjectBuilder();
    if (r.at() == null) {
      out.addNull("checked");
    } else {
      out.add("checked", r.at().toString());
    }
    out.add("guests", r.guests());
    if (r.error() != null) {
      out.add("error", r.error());
    }
    return out.add("findings", list).build();
  }
}
