package org.berth.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts Keycloak in the background as the integration tests begin (with {@code
 * berth.keycloak.early=true}, which the build sets for failsafe), so that its minute of start-up
 * overlaps the tests that run before the sign-in tests instead of adding to them. The first test
 * that needs it waits in {@link Keycloak#get()} as before; a start that fails is reported there.
 */
public final class EarlyKeycloak implements LauncherSessionListener {

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
              } catch (Throwable e) {
                // The first test that asks for Keycloak gets the same answer and reports it.
              }
            },
            "keycloak-early-start");
    start.setDaemon(true);
    start.start();
  }
}
