package org.berth.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts Keycloak and then the {@link ProductionBerth} in the background as the integration tests
 * begin (with {@code berth.keycloak.early=true}, which the build sets for failsafe), so that their
 * minutes of start-up overlap the tests that run before the sign-in tests instead of adding to the
 * one thread the shared-Berth tests run on. The first test that needs either waits in {@link
 * Keycloak#get()} or {@link ProductionBerth#get()} as before; a start that fails is tried again and
 * reported there.
 */
public final class EarlyStart implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!Boolean.getBoolean("berth.keycloak.early")) {
      return;
    }
    Thread start =
        new Thread(
            () -> {
              try {
                Keycloak.get();
                ProductionBerth.get();
              } catch (Throwable e) {
                // The first test that asks tries again and reports what fails.
              }
            },
            "early-start");
    start.setDaemon(true);
    start.start();
  }
}
