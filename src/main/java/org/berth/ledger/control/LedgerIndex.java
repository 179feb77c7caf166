package org.berth.ledger.control;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The ledger's index in PostgreSQL, written only by {@link LedgerWriter} while it holds the ledger
 * lock, each change in one local transaction on the connection it is given.
 */
public final class LedgerIndex {

  /** Where the index stands. */
  public record State(
      String indexedCommit,
      String headCommit,
      String brokenCommit,
      List<String> problems,
      Instant lastSync,
      String lastSyncError) {}

  public State state(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT indexed_commit, head_commit, broken_commit, problems, last_sync,"
                    + " last_sync_error FROM ledger_state")) {
      rs.next();
      Timestamp sync = rs.getTimestamp(5);
      return new State(
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          List.of((String[]) rs.getArray(4).getArray()),
          sync == null ? null : sync.toInstant(),
          rs.getString(6));
    }
  }

  /** Replaces every row with the entries of {@code snapshot}, and records the changes. */
  public void rebuild(Connection c, LedgerSnapshot snapshot, List<GitLedger.Change> changes)
      throws SQLException {
    inTransaction(
        c,
        () -> {
          try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM ledger_entry");
          }
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO ledger_entry (host, file, ipv4, ipv6, mac, holder, claimed_on)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (LedgerEntry e : snapshot.entries()) {
              bind(insert, e);
              insert.addBatch();
              if (++n % 1000 == 0) {
                insert.executeBatch();
              }
            }
            insert.executeBatch();
          }
          record(c, changes);
          setState(c, snapshot.commit(), snapshot.commit(), null, List.of(), null);
        });
  }

  /** Berth's own commits: only the rows of the entries they changed. */
  public void apply(
      Connection c,
      Collection<LedgerEntry> changed,
      Collection<Hostname> removed,
      List<GitLedger.Change> changes,
      String newHead)
      throws SQLException {
    inTransaction(
        c,
        () -> {
          if (!removed.isEmpty()) {
            try (PreparedStatement delete =
                c.prepareStatement("DELETE FROM ledger_entry WHERE host = ?")) {
              for (Hostname h : removed) {
                delete.setString(1, h.value());
                delete.addBatch();
              }
              delete.executeBatch();
            }
          }
          try (PreparedStatement upsert =
              c.prepareStatement(
                  "INSERT INTO ledger_entry (host, file, ipv4, ipv6, mac, holder, claimed_on)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (host) DO UPDATE SET"
                      + " file = excluded.file, ipv4 = excluded.ipv4, ipv6 = excluded.ipv6,"
                      + " mac = excluded.mac, holder = excluded.holder,"
                      + " claimed_on = excluded.claimed_on")) {
            for (LedgerEntry e : changed) {
              bind(upsert, e);
              upsert.addBatch();
            }
            upsert.executeBatch();
          }
          record(c, changes);
          setState(c, newHead, newHead, null, List.of(), null);
        });
  }

  /** The remote's head does not validate: the rows stay as they are (the last good state). */
  public void markBroken(Connection c, String head, List<Problem> problems) throws SQLException {
    inTransaction(
        c,
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "UPDATE ledger_state SET head_commit = ?, broken_commit = ?, problems = ?,"
                      + " last_sync = now(), last_sync_error = NULL")) {
            p.setString(1, head);
            p.setString(2, head);
            p.setArray(
                3, c.createArrayOf("text", problems.stream().map(Problem::toString).toArray()));
            p.executeUpdate();
          }
        });
  }

  /** A sync that found nothing new, or could not reach the remote. */
  public void markSynced(Connection c, String syncError) throws SQLException {
    inTransaction(
        c,
        () -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "UPDATE ledger_state SET last_sync = now(), last_sync_error = ?")) {
            p.setString(1, syncError);
            p.executeUpdate();
          }
        });
  }

  private static void setState(
      Connection c, String indexed, String head, String broken, List<String> problems, String error)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE ledger_state SET indexed_commit = ?, head_commit = ?, broken_commit = ?,"
                + " problems = ?, last_sync = now(), last_sync_error = ?")) {
      p.setString(1, indexed);
      p.setString(2, head);
      p.setString(3, broken);
      Array array = c.createArrayOf("text", problems.toArray());
      p.setArray(4, array);
      p.setString(5, error);
      p.executeUpdate();
    }
  }

  private static void record(Connection c, List<GitLedger.Change> changes) throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ledger_change (commit_id, host, author_name, author_email, committed_at,"
                + " message) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (GitLedger.Change change : changes) {
        for (String host : change.hosts()) {
          insert.setString(1, change.commit());
          insert.setString(2, host);
          insert.setString(3, change.authorName());
          insert.setString(4, change.authorEmail());
          insert.setTimestamp(5, Timestamp.from(change.time()));
          insert.setString(6, change.message());
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }

  private static void bind(PreparedStatement p, LedgerEntry e) throws SQLException {
    p.setString(1, e.host().value());
    p.setString(2, e.file());
    p.setString(3, e.ipv4() == null ? null : e.ipv4().toString());
    p.setString(4, e.ipv6() == null ? null : e.ipv6().toString());
    p.setString(5, e.mac().value());
    p.setString(6, e.user());
    p.setString(7, e.date());
  }

  private interface Work {
    void run() throws SQLException;
  }

  private static void inTransaction(Connection c, Work work) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      work.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
