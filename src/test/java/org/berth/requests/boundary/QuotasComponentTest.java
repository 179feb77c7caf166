package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.control.QuotaLimits;
import org.berth.testing.Components;
import org.berth.testing.MapConfig;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Admins' overrides of the default quota, stored through the entity on a real database. */
@Standalone
class QuotasComponentTest {

  static final QuotaLimits DEFAULT = new QuotaLimits(2, 4, 8192, 100);

  static Components components;
  static Quotas quotas;

  @BeforeAll
  static void start() {
    components = Components.start();
    RequestSettings settings = new RequestSettings();
    settings.config =
        new MapConfig(
            Map.of(
                "berth.quota.guests", "2",
                "berth.quota.cores", "4",
                "berth.quota.memory-mib", "8192",
                "berth.quota.disk-gib", "100"));
    settings.read();
    quotas = components.store(Quotas.class);
    quotas.settings = settings;
  }

  @AfterAll
  static void stop() {
    components.close();
  }

  @Test
  void anOverrideReplacesTheDefaultUntilItIsClearedAndSettingItAgainChangesIt() throws Exception {
    assertThat(quotas.standing("gina").limits()).isEqualTo(DEFAULT);
    assertThat(quotas.standing("gina").overridden()).isFalse();

    Quotas.Standing set = quotas.set("gina", new QuotaLimits(5, 10, 20480, 300), "admin");
    assertThat(set.limits()).isEqualTo(new QuotaLimits(5, 10, 20480, 300));
    assertThat(set.overridden()).isTrue();
    assertThat(quotas.set("gina", new QuotaLimits(1, 1, 512, 8), "root").limits())
        .isEqualTo(new QuotaLimits(1, 1, 512, 8));
    assertThat(column("gina", "updated_by")).isEqualTo("root");
    assertThat(quotas.all()).extracting(Quotas.Standing::username).contains("gina");

    Quotas.Standing cleared = quotas.clear("gina");
    assertThat(cleared.limits()).isEqualTo(DEFAULT);
    assertThat(cleared.overridden()).isFalse();
    assertThat(column("gina", "username")).isNull();
  }

  @Test
  void aLimitLeftEmptyInTheTableIsTheDefaults() throws Exception {
    try (Connection c = components.database().getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO quota (username, cores, updated_by) VALUES ('hank', 16, 'sql')");
    }
    assertThat(quotas.limits("hank")).isEqualTo(new QuotaLimits(2, 16, 8192, 100));
  }

  @Test
  void aNameThatIsNoUserNameIsRefusedAndNothingIsStored() throws Exception {
    assertThatThrownBy(() -> quotas.set("no such/user", DEFAULT, "admin"))
        .isInstanceOfSatisfying(
            InvalidInput.class, e -> assertThat(e.fields()).containsOnlyKeys("username"));
    assertThat(column("no such/user", "username")).isNull();
  }

  static String column(String username, String column) throws Exception {
    try (Connection c = components.database().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT " + column + " FROM quota WHERE username = '" + username + "'")) {
      return r.next() ? r.getString(1) : null;
    }
  }
}
