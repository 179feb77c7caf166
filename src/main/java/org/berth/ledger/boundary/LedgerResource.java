package org.berth.ledger.boundary;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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
import java.util.List;
import org.berth.identity.CurrentUser;
import org.berth.identity.Role;
import org.berth.ledger.control.AddressBatch;
import org.berth.ledger.control.Hostname;
import org.berth.ledger.control.LedgerFile;
import org.berth.ledger.control.LedgerWriter;
import org.berth.ledger.control.Problem;
import org.berth.ledger.control.UnknownEntry;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.rest.JsonFields;
import org.berth.platform.rest.Paging;

/** {@code /api/ledger}: the address ledger's entries, their history, and its upkeep. */
@Path("ledger")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {

  @Inject Ledger ledger;
  @Inject LedgerQueries queries;
  @Inject CurrentUser currentUser;

  /**
   * Entries, filtered and paged: {@code state} is {@code free} or {@code taken}; {@code q} matches
   * host, addresses, MAC or holder; {@code host}, {@code ip}, {@code mac}, {@code holder} match
   * their field; {@code sort} is one of host, ipv4, ipv6, mac, holder, claimedOn, state.
   */
  @GET
  @Path("entries")
  public JsonObject entries(
      @QueryParam("state") String state,
      @QueryParam("q") String q,
      @QueryParam("host") String host,
      @QueryParam("ip") String ip,
      @QueryParam("mac") String mac,
      @QueryParam("holder") String holder,
      @QueryParam("offset") @DefaultValue("0") String offset,
      @QueryParam("limit") @DefaultValue("100") String limit,
      @QueryParam("sort") @DefaultValue("host") String sort,
      @QueryParam("order") @DefaultValue("asc") String order) {
    LedgerQueries.Filter filter =
        InvalidInput.check(
            "state", () -> new LedgerQueries.Filter(state, q, host, ip, mac, holder));
    Paging paging = Paging.of(offset, limit, order);
    if (!List.of("host", "ipv4", "ipv6", "mac", "holder", "claimedOn", "state").contains(sort)) {
      throw new InvalidInput(
          "sort", "must be one of host, ipv4, ipv6, mac, holder, claimedOn, state");
    }
    LedgerQueries.Page page =
        queries.page(filter, paging.offset(), paging.limit(), sort, paging.descending());
    JsonArrayBuilder entries = Json.createArrayBuilder();
    page.entries().forEach(e -> entries.add(json(e)));
    return Json.createObjectBuilder()
        .add("total", page.total())
        .add("offset", paging.offset())
        .add("limit", paging.limit())
        .add("entries", entries)
        .build();
  }

  /** One entry with the commits that changed it, newest first. */
  @GET
  @Path("entries/{host}")
  public JsonObject entry(@PathParam("host") String host) {
    LedgerQueries.Entry entry =
        queries.entry(host).orElseThrow(() -> new UnknownEntry("The ledger has no entry " + host));
    JsonArrayBuilder history = Json.createArrayBuilder();
    for (LedgerQueries.Change c : queries.history(entry.host())) {
      history.add(
          Json.createObjectBuilder()
              .add("commit", c.commit())
              .add("author", c.author())
              .add("authorEmail", c.authorEmail() == null ? "" : c.authorEmail())
              .add("time", c.time().toString())
              .add("message", c.message()));
    }
    return Json.createObjectBuilder(json(entry)).add("history", history).build();
  }

  /** Where the ledger stands: remote, head, last sync, problems. */
  @GET
  @Path("status")
  @RolesAllowed(Role.ADMIN)
  public JsonObject status() {
    LedgerQueries.State state = queries.state();
    JsonObjectBuilder out = Json.createObjectBuilder();
    ledger
        .settings()
        .ifPresent(
            s -> out.add("remote", s.safeRemote()).add("branch", s.branch()).add("path", s.path()));
    add(out, "headCommit", state.headCommit());
    add(out, "indexedCommit", state.indexedCommit());
    add(out, "brokenCommit", state.brokenCommit());
    add(out, "lastSync", state.lastSync() == null ? null : state.lastSync().toString());
    add(out, "lastSyncError", ledger.lastError().orElse(state.lastSyncError()));
    JsonArrayBuilder problems = Json.createArrayBuilder();
    state.problems().forEach(problems::add);
    return out.add("problems", problems)
        .add("entries", state.entries())
        .add("free", state.free())
        .build();
  }

  /** Fetches the remote now and answers with the status after it. */
  @POST
  @Path("sync")
  @RolesAllowed(Role.ADMIN)
  public JsonObject sync() {
    ledger.sync();
    return status();
  }

  /** An admin's claim for someone: {@code {"holder": "alice", "request": "optional reference"}}. */
  @POST
  @Path("entries/{host}/claim")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN)
  public JsonObject claim(@PathParam("host") String host, JsonObject body) {
    JsonFields fields = JsonFields.of(body);
    String holder = fields.requiredText("holder");
    String request = fields.text("request");
    fields.check();
    if (!holder.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new InvalidInput(
          "holder", "must be a user name of 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
    LedgerWriter.Outcome done =
        ledger.claim(checkHost(host), holder, currentUser.account().orElseThrow(), request);
    return outcome(done);
  }

  /** An admin's release: {@code {"holder": "optional, must match"}}. */
  @POST
  @Path("entries/{host}/release")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN)
  public JsonObject release(@PathParam("host") String host, JsonObject body) {
    JsonFields fields = JsonFields.of(body);
    String holder = fields.text("holder");
    String request = fields.text("request");
    fields.check();
    LedgerWriter.Outcome done =
        ledger.release(checkHost(host), holder, currentUser.account().orElseThrow(), request);
    return outcome(done);
  }

  /** Retires a free entry: removes it from the ledger in one commit. */
  @DELETE
  @Path("entries/{host}")
  @RolesAllowed(Role.ADMIN)
  public JsonObject retire(@PathParam("host") String host) {
    LedgerWriter.Outcome done = ledger.retire(checkHost(host), currentUser.account().orElseThrow());
    return Json.createObjectBuilder().add("retired", host).add("commit", done.commit()).build();
  }

  /**
   * Generates a batch: {@code {"ipv4": "192.0.2.100-192.0.2.119", "ipv6Prefix": "2001:db8::/64",
   * "macStart": "52:54:00:be:01:00", "hostPattern": "pvm{n:03}.example.com", "firstNumber": 100,
   * "file": "only for a ledger folder", "preview": true}}. A preview writes nothing.
   */
  @POST
  @Path("batches")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Role.ADMIN)
  public Response batch(JsonObject body) {
    if (body == null) {
      throw new InvalidInput("body", "must be a JSON object");
    }
    JsonFields fields = JsonFields.of(body);
    String ipv4 = fields.requiredText("ipv4");
    String ipv6Prefix = fields.text("ipv6Prefix");
    String macStart = fields.requiredText("macStart");
    String hostPattern = fields.requiredText("hostPattern");
    Long first = fields.whole("firstNumber");
    String file = fields.text("file");
    fields.check();
    AddressBatch batch =
        new AddressBatch(
            ipv4,
            ipv6Prefix,
            macStart,
            hostPattern,
            first == null
                ? 1
                : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, first)));
    if (body.getBoolean("preview", false)) {
      Ledger.BatchPreview preview = ledger.preview(batch, file);
      JsonArrayBuilder entries = Json.createArrayBuilder();
      preview.entries().forEach(e -> entries.add(json(e)));
      JsonArrayBuilder problems = Json.createArrayBuilder();
      preview.problems().stream().map(Problem::toString).forEach(problems::add);
      return Response.ok(
              Json.createObjectBuilder()
                  .add("file", preview.file())
                  .add("entries", entries)
                  .add("problems", problems)
                  .build())
          .build();
    }
    LedgerWriter.Outcome done = ledger.add(batch, file, currentUser.account().orElseThrow());
    return Response.status(Response.Status.CREATED)
        .entity(
            Json.createObjectBuilder()
                .add("commit", done.commit())
                .add("added", batch.entries().size())
                .build())
        .build();
  }

  private static String checkHost(String host) {
    return InvalidInput.check("host", () -> Hostname.of(host).value());
  }

  private static JsonObject outcome(LedgerWriter.Outcome done) {
    JsonObjectBuilder out = Json.createObjectBuilder().add("commit", done.commit());
    if (done.entry() != null) {
      var e = done.entry();
      out.add("host", e.host().value()).add("state", e.isFree() ? "free" : "taken");
      add(out, "holder", e.user());
      add(out, "claimedOn", e.date());
    }
    return out.build();
  }

  static JsonObject json(LedgerQueries.Entry e) {
    JsonObjectBuilder o = Json.createObjectBuilder().add("host", e.host()).add("state", e.state());
    add(o, "ipv4", e.ipv4());
    add(o, "ipv6", e.ipv6());
    o.add("mac", e.mac().value());
    add(o, "holder", e.holder());
    add(o, "claimedOn", e.claimedOn());
    return o.add("file", e.file()).build();
  }

  private static JsonObject json(LedgerFile.NewEntry e) {
    JsonObjectBuilder o = Json.createObjectBuilder().add("host", e.host().value());
    add(o, "ipv4", e.ipv4());
    add(o, "ipv6", e.ipv6());
    return o.add("mac", e.mac().value()).build();
  }

  private static void add(JsonObjectBuilder o, String name, Object value) {
    if (value == null) {
      o.addNull(name);
    } else {
      o.add(name, value.toString());
    }
  }
}
