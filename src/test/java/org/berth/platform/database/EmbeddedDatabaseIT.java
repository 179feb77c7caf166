package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL keeps its data in the data directory across restarts. */
class EmbeddedDatabaseIT {

  @Test
  void restartKeepsWhatWasWritten() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target"), "embedded-db");
    DatabaseSettings settings =
        new DatabaseSettings(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            dataDir,
            0,
            Duration.ofSeconds(5),
            Duration.ofSeconds(1));

    try (DatabaseServer first = DatabaseServer.start(settings);
        Connection c = first.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE note (text text)");
      s.execute("INSERT INTO note VALUES ('kept')");
    }

    try (DatabaseServer second = DatabaseServer.start(settings);
        Connection c = second.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT text FROM note")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("kept");
      assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("18.");
    }
    assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
  }
}
