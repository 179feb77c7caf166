package org.berth.ledger.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while Berth holds a valid state of the ledger it read itself. A remote that cannot be
 * reached for a while or a broken head leave it UP (the last good state is served, and the details
 * say what is wrong); DOWN means the ledger cannot be read at all.
 */
@Readiness
@ApplicationScoped
public class LedgerReadiness implements HealthCheck {

  static final String NAME = "ledger";

  @Inject Ledger ledger;

  @Override
  public HealthCheckResponse call() {
    Optional<String> unreadable = ledger.unreadable();
    if (unreadable.isPresent()) {
      return HealthCheckResponse.named(NAME).down().withData("reason", unreadable.get()).build();
    }
    HealthCheckResponseBuilder up = HealthCheckResponse.named(NAME).up();
    ledger.broken().ifPresent(b -> up.withData("broken", b.describe()));
    ledger.lastError().ifPresent(e -> up.withData("lastSyncError", e));
    return up.build();
  }
}
