package org.berth.ledger.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The lock every Berth instance sharing one database takes before it changes the ledger: a
 * PostgreSQL advisory lock, held on a connection of its own, on which the ledger's index is written
 * too. The connection is opened again when it broke. Callers serialise within the process first.
 */
final class LedgerLock implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LedgerLock.class.getName());

  /** The advisory lock all Berth instances take before changing the ledger. */
  static final long KEY = 0x42657274684c6467L;

  /** Work done while holding the lock, on its connection. */
  interface Locked<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource database;
  private Connection connection;

  LedgerLock(DataSource database) {
    this.database = database;
  }

  /**
   * Runs {@code work} holding the lock.
   *
   * @throws LedgerRemoteUnavailable when the database cannot be used
   */
  <T> T holding(Locked<T> work) {
    try {
      Connection c = connection();
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + KEY + ")");
      }
      try {
        return work.run(c);
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        }
      }
    } catch (SQLException e) {
      close();
      throw new LedgerRemoteUnavailable("the database is unavailable for the ledger", e);
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null || !connection.isValid(2)) {
      close();
      connection = database.getConnection();
      connection.setAutoCommit(true);
      try (Statement s = connection.createStatement()) {
        s.execute("SET lock_timeout = '60s'");
      }
    }
    return connection;
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.log(Level.FINE, "closing the ledger connection", e);
      }
      connection = null;
    }
  }
}
