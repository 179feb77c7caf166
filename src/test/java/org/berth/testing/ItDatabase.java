package org.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * The embedded PostgreSQL of a Berth under test, reached the way an operator would: its port is in
 * {@code postmaster.pid} under the data directory. For tests that must move time (a lease's end) or
 * look at rows no API shows.
 */
public final class ItDatabase {

  private ItDatabase() {}

  /** A connection to the {@code berth} database of the Berth whose data directory is given. */
  public static Connection connect(Path dataDirectory) {
    try {
      List<String> pid = Files.readAllLines(dataDirectory.resolve("postgres/postmaster.pid"));
      String port = pid.get(3).strip();
      return DriverManager.getConnection(
          "jdbc:postgresql://localhost:" + port + "/berth", "postgres", "");
    } catch (IOException | SQLException e) {
      throw new AssertionError("cannot reach the test database: " + e, e);
    }
  }
}
