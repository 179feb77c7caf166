package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.berth.hypervisor.simulator.Fault;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.testing.DebianPostgres;
import org.berth.testing.GitCli;
import org.berth.testing.Http;
import org.berth.testing.PayaraProcess;
import org.berth.testing.Standalone;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Backup and restore as docs/operations.md says: {@code pg_dump -Fc} of the database of a running
 * Berth with requests in every state, {@code pg_restore} into a new database, Berth started on it
 * with the same settings. Everything comes back (requests, their audit trails and guests, quotas,
 * the outbox) and no job runs twice: no guest is created or removed again.
 */
@Standalone
@Order(2)
class BackupRestoreIT {

  static final String SECRET = "0ddba11-0000-4000-8000-backup000001";
  static final String KEY = TestKeys.ed25519("alice@laptop");

  @Test
  void aDumpRestoredIntoANewDatabaseBringsEverythingBackAndRunsNoJobTwice() throws Exception {
    Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "backup");
    try (DebianPostgres pg = DebianPostgres.start();
        SimulatedProxmox cluster =
            SimulatedProxmox.start(
                SimulatorSettings.defaults()
                    .withToken("berth@pve!backup", SECRET)
                    .withTaskDuration(Duration.ofMillis(200)))) {
      List<String> common =
          List.of(
              "berth.ledger.remote=" + GitCli.seededRemote(data.resolve("ledger.git")),
              "berth.proxmox.url=" + cluster.url(),
              "berth.proxmox.token-id=berth@pve!backup",
              "berth.proxmox.token-secret=" + SECRET,
              "berth.requests.auto-approve=false",
              "berth.jobs.polling-interval-seconds=1",
              "berth.provisioning.retry-seconds=0.5",
              "berth.ledger.fetch-interval-seconds=3600");
      pg.createDatabase("berth_live");

      Map<String, JsonObject> before;
      JsonObject quotasBefore;
      long outboxBefore;
      try (PayaraProcess live = berth("backup-live", common, pg, "berth_live", data)) {
        Http http = new Http(live.base());
        http.roomFor("alice");
        http.roomFor("bob");
        http.call(
            "PUT",
            "api/quotas/bob",
            "admin",
            "admin",
            "{\"guests\":7,\"cores\":9,\"memoryMiB\":9999,\"diskGiB\":99}");

        long ready = approveUntil(http, submit(http, "alice", "keep-ready", nat()), "READY");
        long ledger =
            approveUntil(
                http,
                submit(
                    http,
                    "alice",
                    "keep-ledger",
                    "{\"mode\":\"ledger\",\"host\":\"pvm040.example.com\"}"),
                "READY");
        submit(http, "alice", "keep-waiting", nat());
        long rejected = submit(http, "bob", "keep-rejected", nat());
        call(
            http,
            "POST",
            "api/requests/" + rejected + "/reject",
            "admin",
            "{\"reason\":\"not now\"}");
        long cancelled = submit(http, "bob", "keep-cancelled", nat());
        call(http, "DELETE", "api/requests/" + cancelled, "bob", null);
        long deleted = approveUntil(http, submit(http, "alice", "keep-deleted", nat()), "READY");
        http.deleteRequest("alice", deleted);
        cluster.inject(Fault.once(Fault.Kind.TASK_FAILURE, "POST", "/lxc$"));
        approveUntil(http, submit(http, "bob", "keep-failed", nat()), "FAILED");
        assertThat(ready).isNotEqualTo(ledger);

        before = everything(http);
        assertThat(before.values())
            .extracting(r -> r.getJsonObject("request").getString("state"))
            .contains("READY", "SUBMITTED", "REJECTED", "CANCELLED", "DELETED", "FAILED");
        quotasBefore = Http.json(http.get("api/quotas", "admin", "admin"));
        outboxBefore = count(pg, "berth_live", "SELECT count(*) FROM mail_outbox");
      }
      int guestsBefore = cluster.guests().size();
      int callsBefore = cluster.journal().size();

      Path dump = data.resolve("berth.dump");
      pg.dump("berth_live", dump);
      pg.createDatabase("berth_restored");
      pg.restore(dump, "berth_restored");

      try (PayaraProcess restored = berth("backup-restored", common, pg, "berth_restored", data)) {
        Http http = new Http(restored.base());
        assertThat(Http.json(http.get("api/quotas", "admin", "admin"))).isEqualTo(quotasBefore);
        // A new request that reaches READY shows the restored Berth's jobs run; any job left from
        // before the backup was due earlier and so ran first.
        approveUntil(http, submit(http, "alice", "after-restore", nat()), "READY");

        Map<String, JsonObject> after = everything(http);
        after.remove("after-restore");
        assertThat(after).isEqualTo(before);
        assertThat(
                count(
                    pg,
                    "berth_restored",
                    "SELECT count(*) FROM mail_outbox WHERE body NOT LIKE '%after-restore%'"))
            .isEqualTo(outboxBefore);
        assertThat(cluster.guests()).hasSize(guestsBefore + 1);
        assertThat(
                cluster.journal().subList(callsBefore, cluster.journal().size()).stream()
                    .filter(c -> !c.method().equals("GET"))
                    .filter(
                        c ->
                            c.path().endsWith("/lxc")
                                || c.path().endsWith("/clone")
                                || c.method().equals("DELETE"))
                    .count())
            .as("guests created or removed after the restore: only the new request's")
            .isEqualTo(1);
      }
    }
  }

  private static PayaraProcess berth(
      String name, List<String> common, DebianPostgres pg, String database, Path data)
      throws Exception {
    List<String> settings = new ArrayList<>(common);
    settings.addAll(pg.settings(database));
    settings.add("berth.data-dir=" + data.resolve(name));
    PayaraProcess p = PayaraProcess.start(name, settings);
    new Http(p.base()).awaitLedger(true);
    return p;
  }

  /** Every request with its audit trail and, where there is one, its guest, by name. */
  private static Map<String, JsonObject> everything(Http http) {
    Map<String, JsonObject> all = new LinkedHashMap<>();
    JsonObject page = Http.json(http.get("api/requests?limit=1000&order=asc", "admin", "admin"));
    for (JsonObject r : page.getJsonArray("requests").getValuesAs(JsonObject.class)) {
      long id = r.getJsonNumber("id").longValue();
      JsonObject full = Http.json(http.get("api/requests/" + id, "admin", "admin"));
      HttpResponse<String> guest = http.get("api/requests/" + id + "/guest", "admin", "admin");
      JsonObject guestInfo =
          guest.statusCode() == 200
              ? jakarta.json.Json.createObjectBuilder(Http.json(guest)).remove("log").build()
              : jakarta.json.JsonValue.EMPTY_JSON_OBJECT;
      all.put(
          full.getString("name"),
          jakarta.json.Json.createObjectBuilder()
              .add("request", full)
              .add("guest", guestInfo)
              .build());
    }
    return all;
  }

  private static String nat() {
    return "{\"mode\":\"nat\"}";
  }

  private static long submit(Http http, String user, String name, String network) {
    return http.submit(user, "container", name, "debian-12-ct", network, KEY)
        .getJsonNumber("id")
        .longValue();
  }

  private static long approveUntil(Http http, long id, String state) {
    call(http, "POST", "api/requests/" + id + "/approve", "admin", null);
    String owner = Http.json(http.get("api/requests/" + id, "admin", "admin")).getString("owner");
    http.awaitRequest(owner, id, state);
    return id;
  }

  private static void call(Http http, String method, String path, String user, String body) {
    HttpResponse<String> r = http.call(method, path, user, user, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
  }

  private static long count(DebianPostgres pg, String database, String sql) throws Exception {
    try (Connection c = pg.connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
