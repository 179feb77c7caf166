package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.berth.identity.Account;
import org.berth.identity.Role;
import org.berth.requests.control.RequestDraft;
import org.berth.requests.entity.Template;
import org.berth.testing.Components;
import org.berth.testing.MapConfig;
import org.berth.testing.Standalone;
import org.berth.testing.TestKeys;
import org.berth.testing.TestRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the wizard asks as each step is left: the rules of submitting, on a real database, going on
 * past broken rules so that a taken name or a full quota shows before the last step is filled in,
 * and storing nothing.
 */
@Standalone
class RequestCheckComponentTest {

  static final Account ALICE =
      new Account("alice", "Alice Example", "alice@example.com", java.util.Set.of(Role.DEVELOPER));

  static Components components;
  static Requests requests;

  @BeforeAll
  static void start() throws Exception {
    components = Components.start();
    RequestSettings settings = new RequestSettings();
    settings.config =
        new MapConfig(
            Map.of(
                "berth.quota.guests", "3",
                "berth.quota.cores", "4",
                "berth.quota.memory-mib", "8192",
                "berth.quota.disk-gib", "100"));
    settings.read();
    Quotas quotas = components.store(Quotas.class);
    quotas.settings = settings;
    RequestStore store = components.store(RequestStore.class);
    Components.inject(store, "quotas", quotas);
    Components.inject(store, "settings", settings);
    Templates templates = components.store(Templates.class);
    Components.inject(
        templates, "references", (TemplateReferences) (kind, ref) -> Optional.empty());
    requests = new Requests();
    requests.store = store;
    requests.templates = templates;
    requests.settings = settings;

    Template debian = TestRequests.debianVm();
    components.inTransaction(
        () -> {
          components.em.persist(debian);
          // alice holds one guest of 2 cores, 2048 MiB and 20 GiB, named "held".
          components.em.persist(
              TestRequests.onNat(debian, "held", null, 5, "testing", Instant.now()));
          return null;
        });
  }

  @AfterAll
  static void stop() {
    components.close();
  }

  @Test
  void aTakenNameIsReportedWhileLaterStepsAreStillEmpty() throws Exception {
    int before = requestRows();
    Requests.Check check = requests.check(draft("held", 2, 2048, 20, null, null), Map.of(), ALICE);

    assertThat(check.fields())
        .containsEntry("name", "'held' is already used by another guest; choose another name")
        .containsKeys("sshKeys", "purpose")
        .doesNotContainKeys("cores", "memoryMiB", "diskGiB");
    assertThat(check.quota()).isNull();
    assertThat(check.passes()).isFalse();
    assertThat(requestRows()).isEqualTo(before);
  }

  @Test
  void aSizeTheQuotaHasNoRoomForIsReportedBeforeTheLastStep() {
    Requests.Check check =
        requests.check(draft("bigger", 4, 2048, 20, null, null), Map.of(), ALICE);

    assertThat(check.quota())
        .isEqualTo("This would exceed the quota of alice (cores: 2 of 4 in use, 4 more asked)");
    assertThat(check.fields()).doesNotContainKeys("name", "cores");
  }

  @Test
  void aSizeThatBreaksTheTemplatesRuleIsReportedAndTheQuotaIsNotAsked() {
    Requests.Check check =
        requests.check(draft("bigger", 2, 2048, 20500, null, null), Map.of(), ALICE);

    assertThat(check.fields()).containsKey("diskGiB");
    assertThat(check.quota()).isNull();
  }

  @Test
  void aCompleteRequestThatFitsPassesAndIsNotStored() throws Exception {
    int before = requestRows();
    Requests.Check check =
        requests.check(
            draft("complete", 2, 2048, 20, TestKeys.ed25519("alice@laptop"), "checked only"),
            Map.of(),
            ALICE);

    assertThat(check.fields()).isEmpty();
    assertThat(check.quota()).isNull();
    assertThat(check.passes()).isTrue();
    assertThat(requestRows()).isEqualTo(before);
  }

  private static RequestDraft draft(
      String name, long cores, long memory, long disk, String key, String purpose) {
    return new RequestDraft(
        "vm",
        name,
        "debian-12",
        cores,
        memory,
        disk,
        "nat",
        null,
        null,
        key == null ? List.of() : List.of(key),
        5L,
        purpose);
  }

  private static int requestRows() throws Exception {
    try (Connection c = components.database().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM guest_request")) {
      r.next();
      return r.getInt(1);
    }
  }
}
