package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.berth.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** Berth recognises a refused write by the constraint PostgreSQL names, not by message text. */
class ConstraintNamesTest {

  DataSource db = TestDatabase.fresh();

  @Test
  void aUniqueIndexIsRecognisedByItsNameWhereverItIsInTheCauses() throws SQLException {
    Throwable refused;
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE thing (name text)");
      s.execute("CREATE UNIQUE INDEX thing_live_name ON thing (name)");
      s.execute("INSERT INTO thing VALUES ('web1')");
      refused = catchThrowable(() -> s.execute("INSERT INTO thing VALUES ('web1')"));
    }
    RuntimeException wrapped = new IllegalStateException("commit failed", refused);

    assertThat(Constraints.violated(wrapped, "thing_live_name")).isTrue();
    assertThat(Constraints.violated(wrapped, "thing")).as("a name, not a part of one").isFalse();
    assertThat(
            Constraints.violated(new IllegalStateException("thing_live_name"), "thing_live_name"))
        .as("a message that merely mentions it")
        .isFalse();
  }
}
