package org.berth.provisioning.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.platform.rest.JsonFields;
import org.berth.provisioning.boundary.Provisioner.PowerAction;
import org.berth.requests.boundary.GuestLog.Line;
import org.berth.requests.control.UnknownRequest;

/**
 * {@code /api/requests/{id}/guest}: the guest of a request, with its live power state and
 * provisioning log, and the owner's power actions ({@code start}, {@code stop}, {@code reboot};
 * 202, carried out by a job). Someone else's guest answers 404.
 */
@Path("requests/{id}/guest")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class GuestResource {

  @Inject Guests guests;
  @Inject Snapshots snapshots;
  @Inject CurrentUser currentUser;

  @GET
  public JsonObject get(@PathParam("id") String id) {
    Guests.Detail d = guests.detail(id(id), caller());
    JsonObjectBuilder out =
        Json.createObjectBuilder()
            .add("request", d.request().id())
            .add("state", d.request().state().name());
    if (d.ref() == null) {
      out.addNull("node").addNull("vmid");
    } else {
      out.add("node", d.ref().node()).add("vmid", d.ref().vmid());
    }
    if (d.power() == null) {
      out.addNull("power");
    } else {
      out.add("power", d.power().name().toLowerCase());
    }
    if (d.statusProblem() != null) {
      out.add("statusProblem", d.statusProblem());
    }
    JsonArrayBuilder log = Json.createArrayBuilder();
    for (Line l : d.log()) {
      log.add(
          Json.createObjectBuilder()
              .add("at", l.at().toString())
              .add("step", l.step())
              .add("outcome", l.outcome().name().toLowerCase())
              .add("detail", l.detail())
              .add("instance", l.instance()));
    }
    return out.add("log", log).build();
  }

  @POST
  @Path("start")
  public Response start(@PathParam("id") String id) {
    return power(id, PowerAction.START);
  }

  /** Shuts the guest down, and stops it if it has not gone down after the shutdown timeout. */
  @POST
  @Path("stop")
  public Response stop(@PathParam("id") String id) {
    return power(id, PowerAction.SHUTDOWN);
  }

  /** Switches the guest off at once, without asking its OS. */
  @POST
  @Path("force-stop")
  public Response forceStop(@PathParam("id") String id) {
    return power(id, PowerAction.STOP);
  }

  @POST
  @Path("reboot")
  public Response reboot(@PathParam("id") String id) {
    return power(id, PowerAction.REBOOT);
  }

  private Response power(String id, PowerAction action) {
    guests.power(id(id), action, caller());
    return Response.accepted(
            Json.createObjectBuilder()
                .add("request", id(id))
                .add("action", action.name().toLowerCase())
                .add("message", "the guest is being " + action.verb())
                .build())
        .build();
  }

  /** The guest's snapshots, oldest first, with how many it may keep. */
  @GET
  @Path("snapshots")
  public JsonObject snapshots(@PathParam("id") String id) {
    Snapshots.Listing listing = snapshots.list(id(id), caller());
    JsonArrayBuilder items = Json.createArrayBuilder();
    for (org.berth.hypervisor.Snapshot s : listing.snapshots()) {
      JsonObjectBuilder item =
          Json.createObjectBuilder()
              .add("name", s.name())
              .add("description", s.description())
              .add("running", s.running());
      if (s.taken() == null) {
        item.addNull("taken");
      } else {
        item.add("taken", s.taken().toString());
      }
      items.add(item);
    }
    return Json.createObjectBuilder()
        .add("request", id(id))
        .add("limit", listing.limit())
        .add("pending", listing.pending())
        .add("shutOffFirst", listing.shutOffFirst())
        .add("snapshots", items)
        .build();
  }

  /** Takes a snapshot named by {@code {"name": ...}}; a job takes it right after (202). */
  @POST
  @Path("snapshots")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response takeSnapshot(@PathParam("id") String id, JsonObject body) {
    // Someone else's request is not found, whatever the body says.
    snapshots.requireVisible(id(id), caller());
    JsonFields fields = JsonFields.of(body);
    String name = fields.requiredText("name");
    fields.check();
    return snapshot(id, SnapshotAction.TAKE, name);
  }

  /** Rolls the guest back to the snapshot; what happened since is lost (202). */
  @POST
  @Path("snapshots/{name}/rollback")
  public Response rollback(@PathParam("id") String id, @PathParam("name") String name) {
    return snapshot(id, SnapshotAction.ROLLBACK, name);
  }

  @DELETE
  @Path("snapshots/{name}")
  public Response deleteSnapshot(@PathParam("id") String id, @PathParam("name") String name) {
    return snapshot(id, SnapshotAction.DELETE, name);
  }

  private Response snapshot(String id, SnapshotAction action, String name) {
    snapshots.ask(id(id), action, name, caller());
    return Response.accepted(
            Json.createObjectBuilder()
                .add("request", id(id))
                .add("action", action.name().toLowerCase())
                .add("snapshot", name)
                .add("message", action.accepted(name))
                .build())
        .build();
  }

  private Account caller() {
    return currentUser.account().orElseThrow();
  }

  private static long id(String text) {
    return UnknownRequest.parseId(text);
  }
}
