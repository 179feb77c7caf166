package org.berth.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * A test class that starts every part it talks to itself (its own Berth, database, repositories,
 * proxies, SSH servers or simulated cluster) and shares none of them with another class, so it runs
 * beside the classes that do share (the integration tests of the shared {@link DemoBerth} and
 * {@link ProductionBerth}, the unit tests that are not marked): those run one after another on one
 * thread, these on the others. Its own test methods still run one after another, on one thread, in
 * their order.
 *
 * <p>Only a class that truly shares nothing may carry it: not the shared Berths, not their
 * simulated cluster, mail server or Keycloak, and no fixed port or name another class uses. A
 * database of its own on the one embedded PostgreSQL ({@link TestDatabase}) is its own.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(providers = Standalone.OwnLock.class)
public @interface Standalone {

  /**
   * A lock of the class's own: a class holding a lock runs its methods on one thread, and no other
   * class asks for it, so it costs no waiting.
   */
  final class OwnLock implements ResourceLocksProvider {
    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
      return Set.of(new Lock(testClass.getName()));
    }
  }
}
