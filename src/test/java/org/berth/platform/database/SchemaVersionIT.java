package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.berth.testing.Standalone;
import org.berth.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Upgrades as docs/operations.md says: a newer Berth migrates the schema at start-up, and an older
 * Berth refuses a schema migrated by a newer one instead of running on it.
 */
@Standalone
class SchemaVersionIT {

  @Test
  void aSchemaMigratedByANewerBerthIsRefusedNamingTheVersion() throws Exception {
    DataSource db = TestDatabase.fresh();
    String current = DatabaseMigration.migrate(db);
    assertThat(DatabaseMigration.migrate(db))
        .as("migrating again changes nothing")
        .isEqualTo(current);

    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
              + " checksum, installed_by, execution_time, success) SELECT max(installed_rank) + 1,"
              + " '999', 'from a newer Berth', 'SQL', 'V999__from_a_newer_berth.sql', 1, 'berth',"
              + " 1, true FROM flyway_schema_history");
    }

    assertThatThrownBy(() -> DatabaseMigration.migrate(db))
        .hasMessageContaining("999")
        .hasMessageContaining("not resolved locally");
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(Long.parseLong(current.replaceFirst("^0+", "")) + 1);
    }
  }
}
