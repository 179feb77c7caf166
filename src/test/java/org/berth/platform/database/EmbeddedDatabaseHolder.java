package org.berth.platform.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * A process that starts the embedded PostgreSQL in the data directory given as its argument, writes
 * a row, says "started" and waits to be killed: the stand-in for a Berth killed with SIGKILL.
 */
public final class EmbeddedDatabaseHolder {

  private EmbeddedDatabaseHolder() {}

  public static void main(String[] args) throws Exception {
    DatabaseServer server = DatabaseServer.start(settings(Path.of(args[0])));
    try (Connection c = server.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS note (text text)");
      s.execute("INSERT INTO note VALUES ('written before the kill')");
    }
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  static DatabaseSettings settings(Path dataDir) {
    return new DatabaseSettings(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        dataDir,
        0,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1));
  }
}
