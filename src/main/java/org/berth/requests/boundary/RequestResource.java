package org.berth.requests.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.identity.Role;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.rest.JsonFields;
import org.berth.platform.rest.Paging;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.control.AccessPoints.GuestAccess;
import org.berth.requests.control.RequestDraft;
import org.berth.requests.control.UnknownRequest;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestState;

/**
 * {@code /api/requests}: submit, list, read, approve, reject and withdraw guest requests. A
 * developer sees only their own requests (anyone else's answer 404); only admins approve and reject
 * (403 for others).
 */
@Path("requests")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class RequestResource {

  @Inject Requests requests;
  @Inject CurrentUser currentUser;
  @Inject AccessPoints accessPoints;

  /**
   * Submits a request: {@code {"kind","name","template","cores","memoryMiB","diskGiB",
   * "network":{"mode":"ledger","host"}|{"mode":"nat","httpPort"},"sshKeys":[],"leaseDays",
   * "purpose"}}. 201 with the request; 400 naming every broken field; 409 when the entry or name is
   * taken or the quota is full.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response submit(JsonObject body) {
    if (body == null) {
      throw new InvalidInput("body", "must be a JSON object describing the request");
    }
    JsonFields fields = JsonFields.of(body);
    JsonFields network = null;
    JsonValue n = body.get("network");
    if (n == null || n.getValueType() == JsonValue.ValueType.NULL) {
      fields.refuse(
          "network", "must be given: {\"mode\":\"ledger\",\"host\":...} or {\"mode\":\"nat\"}");
    } else if (n.getValueType() != JsonValue.ValueType.OBJECT) {
      fields.refuse("network", "must be an object with a mode");
    } else {
      network = fields.within(n.asJsonObject(), "network");
    }
    RequestDraft draft =
        new RequestDraft(
            fields.text("kind"),
            fields.text("name"),
            fields.text("template"),
            fields.whole("cores"),
            fields.whole("memoryMiB"),
            fields.whole("diskGiB"),
            network == null ? "" : network.text("mode"),
            network == null ? null : network.text("host"),
            network == null ? null : network.whole("httpPort"),
            fields.strings("sshKeys", "must be a list of public keys, one per entry"),
            fields.whole("leaseDays"),
            fields.text("purpose"));
    RequestView created = requests.submit(draft, fields.problems(), caller());
    return Response.created(URI.create("requests/" + created.id())).entity(json(created)).build();
  }

  /**
   * Requests, newest first: the caller's own, or everyone's for an admin. {@code state} is a
   * comma-separated list of states; {@code owner} (admins) and {@code q} narrow it down.
   */
  @GET
  public JsonObject list(
      @QueryParam("state") String state,
      @QueryParam("owner") String owner,
      @QueryParam("q") String q,
      @QueryParam("offset") @DefaultValue("0") String offset,
      @QueryParam("limit") @DefaultValue("100") String limit,
      @QueryParam("sort") @DefaultValue("id") String sort,
      @QueryParam("order") @DefaultValue("desc") String order) {
    Paging paging = Paging.of(offset, limit, order);
    Set<RequestState> states = InvalidInput.check("state", () -> states(state));
    RequestQueries.Filter filter =
        InvalidInput.check(
            "sort",
            () ->
                new RequestQueries.Filter(
                    owner == null || owner.isBlank() ? null : owner.strip(),
                    states,
                    q,
                    sort,
                    paging.descending()));
    RequestQueries.Page page = requests.list(filter, caller(), paging.offset(), paging.limit());
    JsonArrayBuilder rows = Json.createArrayBuilder();
    page.requests().forEach(r -> rows.add(json(r)));
    return Json.createObjectBuilder()
        .add("total", page.total())
        .add("offset", paging.offset())
        .add("limit", paging.limit())
        .add("requests", rows)
        .build();
  }

  /** One request with its audit trail. */
  @GET
  @Path("{id}")
  public JsonObject get(@PathParam("id") String id) {
    return json(requests.find(id(id), caller()));
  }

  /** Approves a waiting request (admins). */
  @POST
  @Path("{id}/approve")
  @RolesAllowed(Role.ADMIN)
  public JsonObject approve(@PathParam("id") String id) {
    return json(requests.approve(id(id), -1, caller()));
  }

  /** Rejects a waiting request with {@code {"reason": ...}} (admins); its entry is released. */
  @POST
  @Path("{id}/reject")
  @RolesAllowed(Role.ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  public JsonObject reject(@PathParam("id") String id, JsonObject body) {
    JsonFields fields = JsonFields.of(body);
    String reason = fields.text("reason");
    fields.check();
    return json(requests.reject(id(id), -1, reason, caller()));
  }

  /**
   * Withdraws a request: a request without a guest is cancelled, a guest is deleted. Its ledger
   * entry is released. Answers with the request as it is now.
   */
  @DELETE
  @Path("{id}")
  public JsonObject delete(@PathParam("id") String id, @QueryParam("reason") String reason) {
    return json(requests.withdraw(id(id), -1, reason, caller()));
  }

  /** Extends the lease by {@code {"days": n}}, within the maximum lease. */
  @POST
  @Path("{id}/extend")
  @Consumes(MediaType.APPLICATION_JSON)
  public JsonObject extend(@PathParam("id") String id, JsonObject body) {
    // Someone else's request is not found, whatever the body: its existence must not show.
    requests.find(id(id), caller());
    JsonFields fields = JsonFields.of(body);
    Long days = fields.whole("days");
    if (days == null && !fields.problems().containsKey("days")) {
      fields.refuse("days", "must be given");
    }
    fields.check();
    if (days < 1 || days > 3650) {
      throw new InvalidInput("days", "must be between 1 and the maximum lease");
    }
    return json(requests.extend(id(id), -1, days.intValue(), caller()));
  }

  /** Tries a failed request again: it is approved anew and provisioned. */
  @POST
  @Path("{id}/retry")
  public JsonObject retry(@PathParam("id") String id) {
    return json(requests.retry(id(id), -1, caller()));
  }

  JsonObject json(RequestView r) {
    JsonObjectBuilder network = Json.createObjectBuilder();
    if (r.networkMode() == NetworkMode.LEDGER) {
      network.add("mode", "ledger").add("host", r.host());
    } else {
      network.add("mode", "nat");
      if (r.httpPort() != null) {
        network.add("httpPort", r.httpPort());
      }
    }
    JsonObjectBuilder out =
        Json.createObjectBuilder()
            .add("id", r.id())
            .add("state", r.state().name())
            .add("owner", r.owner())
            .add("kind", r.kind().apiName())
            .add("name", r.name())
            .add("template", r.template())
            .add("cores", r.cores())
            .add("memoryMiB", r.memoryMib())
            .add("diskGiB", r.diskGib())
            .add("network", network);
    JsonArrayBuilder keys = Json.createArrayBuilder();
    r.sshKeys().forEach(keys::add);
    out.add("sshKeys", keys).add("leaseDays", r.leaseDays()).add("purpose", r.purpose());
    if (r.networkMode() == NetworkMode.NAT && r.ipv4() != null && !r.addressReleased()) {
      JsonObjectBuilder address = Json.createObjectBuilder().addNull("host");
      add(address, "ipv4", r.ipv4());
      address.addNull("ipv6");
      add(address, "mac", r.mac());
      out.add("address", address);
    } else if (r.host() != null && r.claimCommit() != null) {
      JsonObjectBuilder address = Json.createObjectBuilder().add("host", r.host());
      add(address, "ipv4", r.ipv4());
      add(address, "ipv6", r.ipv6());
      add(address, "mac", r.mac());
      add(address, "claimCommit", r.claimCommit());
      add(address, "releaseCommit", r.releaseCommit());
      out.add("address", address);
    } else {
      out.addNull("address");
    }
    if (r.guest() != null) {
      out.add(
          "guest",
          Json.createObjectBuilder().add("node", r.guest().node()).add("vmid", r.guest().vmid()));
    } else {
      out.addNull("guest");
    }
    Optional<GuestAccess> access = r.accessTarget().flatMap(accessPoints::of);
    if (access.isPresent()) {
      JsonObjectBuilder reach = Json.createObjectBuilder();
      add(reach, "url", access.get().url());
      add(reach, "ssh", access.get().ssh());
      out.add("access", reach);
    } else {
      out.addNull("access");
    }
    add(out, "leaseEnds", r.leaseEnds() == null ? null : r.leaseEnds().toString());
    add(out, "reason", r.reason());
    out.add("created", r.created().toString()).add("updated", r.updated().toString());
    if (!r.events().isEmpty()) {
      JsonArrayBuilder audit = Json.createArrayBuilder();
      for (RequestView.Event e : r.events()) {
        JsonObjectBuilder event =
            Json.createObjectBuilder().add("at", e.at().toString()).add("actor", e.actor());
        add(event, "from", e.from() == null ? null : e.from().name());
        event.add("to", e.to().name());
        add(event, "reason", e.reason());
        audit.add(event);
      }
      out.add("audit", audit);
    }
    return out.build();
  }

  private Account caller() {
    return currentUser.account().orElseThrow();
  }

  private static long id(String text) {
    return UnknownRequest.parseId(text);
  }

  private static Set<RequestState> states(String text) {
    if (text == null || text.isBlank()) {
      return Set.of();
    }
    Set<RequestState> states = EnumSet.noneOf(RequestState.class);
    for (String s : text.split(",")) {
      try {
        states.add(RequestState.valueOf(s.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "must be a comma-separated list of "
                + java.util.Arrays.toString(RequestState.values()));
      }
    }
    return states;
  }

  /** The value's text, or null. */
  private static void add(JsonObjectBuilder out, String field, Object value) {
    if (value == null) {
      out.addNull(field);
    } else {
      out.add(field, value.toString());
    }
  }
}
