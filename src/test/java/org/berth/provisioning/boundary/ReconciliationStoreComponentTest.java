package org.berth.provisioning.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.berth.provisioning.boundary.ReconciliationStore.Finding;
import org.berth.provisioning.entity.ReconciliationFinding.Kind;
import org.berth.testing.Components;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What reconciliation keeps of its runs and findings, through the entities on a real database. */
@Standalone
class ReconciliationStoreComponentTest {

  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  static Components components;
  static ReconciliationStore store;

  @BeforeAll
  static void start() {
    components = Components.start();
    store = components.store(ReconciliationStore.class);
    store.clock = Clock.fixed(T0, ZoneOffset.UTC);
  }

  @AfterAll
  static void stop() {
    components.close();
  }

  static Finding finding(Kind kind, Long request, int vmid) {
    return new Finding(0, kind, request, "pve1", vmid, kind + " " + vmid, null);
  }

  @Test
  void aRunReplacesTheFindingsAFailedRunKeepsThemAndASettledOneGoes() throws Exception {
    assertThat(store.report().at()).as("before any run").isNull();

    store.replace(
        List.of(finding(Kind.MISSING, 7L, 10007), finding(Kind.UNKNOWN, null, 10099)), 12);
    ReconciliationStore.Report first = store.report();
    assertThat(first.at()).isEqualTo(T0);
    assertThat(first.guests()).isEqualTo(12);
    assertThat(first.findings())
        .extracting(Finding::kind, Finding::requestId, Finding::vmid, Finding::found)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Kind.MISSING, 7L, 10007, T0),
            org.assertj.core.groups.Tuple.tuple(Kind.UNKNOWN, null, 10099, T0));

    store.recordFailedRun("the cluster answered 503");
    ReconciliationStore.Report failed = store.report();
    assertThat(failed.error()).isEqualTo("the cluster answered 503");
    assertThat(failed.findings()).hasSize(2);

    long missing = failed.findings().get(0).id();
    assertThat(store.finding(missing)).map(Finding::detail).contains("MISSING 10007");
    store.remove(missing);
    assertThat(store.finding(missing)).isEmpty();

    store.replace(List.of(finding(Kind.MOVED, 8L, 10008)), 3);
    assertThat(store.report().findings()).extracting(Finding::kind).containsExactly(Kind.MOVED);
    assertThat(store.report().error()).isNull();
  }

  @Test
  void onlyTheNewestHundredRunsAreKept() throws Exception {
    // A database of its own, so that the other test still sees one with no run at all.
    try (Components own = Components.start()) {
      ReconciliationStore runs = own.store(ReconciliationStore.class);
      for (int i = 0; i < 105; i++) {
        runs.recordFailedRun("run " + i);
      }
      assertThat(count(own)).isEqualTo(100);
      assertThat(runs.report().error()).isEqualTo("run 104");
    }
  }

  static int count(Components own) throws Exception {
    try (Connection c = own.database().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM reconciliation_run")) {
      r.next();
      return r.getInt(1);
    }
  }
}
