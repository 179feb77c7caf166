package org.berth.platform.database;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the schema is migrated and a real query through the container's pool answers. The
 * reason for DOWN is the one the operator needs: the setting and the cause, never a secret.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

  static final String NAME = "database";

  @Inject DatabaseMigration migration;

  @Resource(lookup = "java:app/jdbc/berth")
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    DatabaseMigration.Status status = migration.status();
    if (!status.ready()) {
      return HealthCheckResponse.named(NAME)
          .down()
          .withData("reason", status.detail())
          .withData("failedAttempts", migration.failedAttempts())
          .build();
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(3);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
        rs.next();
        return HealthCheckResponse.named(NAME)
            .up()
            .withData("schema", status.detail())
            .withData("migrations", rs.getLong(1))
            .build();
      }
    } catch (SQLException e) {
      return HealthCheckResponse.named(NAME)
          .down()
          .withData("reason", "query failed: " + DatabaseMigration.rootMessage(e))
          .build();
    }
  }
}
