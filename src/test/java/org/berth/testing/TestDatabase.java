package org.berth.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.berth.platform.database.DatabaseMigration;
import org.berth.platform.database.DatabaseServer;
import org.berth.platform.database.DatabaseSettings;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL for tests that need no container: one embedded server per test JVM, and a fresh
 * database migrated by Flyway for each test that asks.
 */
public final class TestDatabase {

  private static DatabaseServer server;
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestDatabase() {}

  private static synchronized DatabaseServer server() throws Exception {
    if (server == null) {
      Path dir = Files.createTempDirectory(Path.of("target"), "test-db");
      server =
          DatabaseServer.start(
              new DatabaseSettings(
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  dir,
                  0,
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(1)));
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    }
    return server;
  }

  /** A new, empty database without a schema, for a Berth process to migrate: its settings. */
  public static List<String> freshSettings() {
    try {
      DatabaseServer s = server();
      String name = "berth_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
      try (Connection c = s.dataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      }
      PGSimpleDataSource base = (PGSimpleDataSource) s.dataSource();
      return List.of(
          "berth.db.url=jdbc:postgresql://"
              + base.getServerNames()[0]
              + ":"
              + base.getPortNumbers()[0]
              + "/"
              + name,
          "berth.db.user=" + base.getUser());
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test database", e);
    }
  }

  /** A new, empty database with Berth's schema. */
  public static DataSource fresh() {
    try {
      DatabaseServer s = server();
      String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
      try (Connection c = s.dataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      }
      PGSimpleDataSource ds = new PGSimpleDataSource();
      PGSimpleDataSource base = (PGSimpleDataSource) s.dataSource();
      ds.setServerNames(base.getServerNames());
      ds.setPortNumbers(base.getPortNumbers());
      ds.setUser(base.getUser());
      ds.setDatabaseName(name);
      DatabaseMigration.migrate(ds);
      return ds;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test database", e);
    }
  }
}
