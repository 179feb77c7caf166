package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL keeps its data in the data directory across restarts. */
@Standalone
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

  @Test
  void aServerLeftRunningByAKilledProcessIsStoppedAndTheDataKept() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target"), "embedded-db-killed");
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=target",
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedDatabaseHolder.class.getName(),
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    java.io.BufferedReader out =
        new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
    String line;
    while ((line = out.readLine()) != null && !line.equals("started")) {
      // the embedded server's start-up output
    }
    assertThat(line).as("the holder process started its database").isEqualTo("started");
    holder.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook stops PostgreSQL
    long orphan =
        Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0));
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

    try (DatabaseServer again = DatabaseServer.start(EmbeddedDatabaseHolder.settings(dataDir));
        Connection c = again.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT text FROM note")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("written before the kill");
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }
}
