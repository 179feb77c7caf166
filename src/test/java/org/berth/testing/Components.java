package org.berth.testing;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.MethodDelegation;
import net.bytebuddy.implementation.bind.annotation.RuntimeType;
import net.bytebuddy.implementation.bind.annotation.SuperCall;
import net.bytebuddy.matcher.ElementMatchers;
import org.hibernate.jpa.HibernatePersistenceProvider;

/**
 * Berth's stores without Payara: the same JPA provider and mappings as the WAR (Hibernate, every
 * entity and converter among the WAR's classes) on a fresh database of the embedded PostgreSQL that
 * Flyway has migrated, and a transaction around each call of a store's public method, joined by the
 * calls it makes, as {@code @Transactional} gives in the container. Component tests build the
 * stores they need with {@link #store}, set what else a store injects by hand, and assert on what
 * the database then holds. A test that needs CDI events, the job scheduler, the web tier or a real
 * deployment is an integration test instead.
 */
public final class Components implements AutoCloseable {

  private final EntityManagerFactory factory;
  private final DataSource database;
  private final ThreadLocal<EntityManager> current = new ThreadLocal<>();

  /** The entity manager of the calling thread's transaction, as a container injects it. */
  public final EntityManager em;

  private Components(EntityManagerFactory factory, DataSource database) {
    this.factory = factory;
    this.database = database;
    InvocationHandler bound =
        (proxy, method, args) -> {
          EntityManager now = current.get();
          if (now == null) {
            throw new IllegalStateException(
                "no transaction: " + method.getName() + " outside a store's method");
          }
          try {
            return method.invoke(now, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    this.em =
        (EntityManager)
            Proxy.newProxyInstance(
                EntityManager.class.getClassLoader(), new Class<?>[] {EntityManager.class}, bound);
  }

  /** A fresh migrated database and the persistence unit on it. */
  public static Components start() {
    DataSource database = TestDatabase.fresh();
    Map<String, Object> properties =
        Map.of(
            "hibernate.hbm2ddl.auto", "none",
            "hibernate.jdbc.time_zone", "UTC",
            "hibernate.archive.autodetection", "class");
    EntityManagerFactory factory =
        new HibernatePersistenceProvider()
            .createContainerEntityManagerFactory(new Unit(database), properties);
    return new Components(factory, database);
  }

  /** The database, for reading what a store wrote as an operator would. */
  public DataSource database() {
    return database;
  }

  /**
   * A store of {@code type}: its {@code @PersistenceContext} fields hold {@link #em}, and each of
   * its public methods runs in a transaction (or in the caller's, when there is one).
   */
  public <T> T store(Class<T> type) {
    try {
      Class<? extends T> subclass =
          new ByteBuddy()
              .subclass(type)
              .method(
                  ElementMatchers.isPublic()
                      .and(ElementMatchers.not(ElementMatchers.isStatic()))
                      .and(ElementMatchers.not(ElementMatchers.isDeclaredBy(Object.class))))
              .intercept(MethodDelegation.to(new Transactional(this)))
              .make()
              .load(type.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
              .getLoaded();
      T store = subclass.getDeclaredConstructor().newInstance();
      for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (f.isAnnotationPresent(PersistenceContext.class)
              && !Modifier.isStatic(f.getModifiers())) {
            f.setAccessible(true);
            f.set(store, em);
          }
        }
      }
      return store;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build a " + type.getSimpleName(), e);
    }
  }

  /**
   * Sets what the container would inject into {@code target}'s field {@code name} (declared by its
   * class or a superclass), for a bean of another package.
   */
  public static void inject(Object target, String name, Object value) {
    for (Class<?> c = target.getClass(); c != Object.class; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
        return;
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException(target.getClass().getSuperclass() + " has no field " + name);
  }

  /** Calls the no-argument method {@code name} the container would call (a post-construct). */
  public static void call(Object target, String name) {
    for (Class<?> c = target.getClass(); c != Object.class; c = c.getSuperclass()) {
      try {
        java.lang.reflect.Method m = c.getDeclaredMethod(name);
        m.setAccessible(true);
        m.invoke(target);
        return;
      } catch (NoSuchMethodException e) {
        // look in the superclass
      } catch (InvocationTargetException e) {
        throw new IllegalStateException(name + " failed", e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException(target.getClass() + " has no method " + name);
  }

  /** Runs {@code work} in a transaction, or in the calling thread's one when there is one. */
  public <T> T inTransaction(Callable<T> work) throws Exception {
    if (current.get() != null) {
      return work.call();
    }
    EntityManager manager = factory.createEntityManager();
    EntityTransaction tx = manager.getTransaction();
    current.set(manager);
    try {
      tx.begin();
      T result = work.call();
      tx.commit();
      return result;
    } finally {
      if (tx.isActive()) {
        tx.rollback();
      }
      current.remove();
      manager.close();
    }
  }

  @Override
  public void close() {
    factory.close();
  }

  /** The interceptor of a store's public methods. */
  public static final class Transactional {
    private final Components components;

    Transactional(Components components) {
      this.components = components;
    }

    @RuntimeType
    public Object around(@SuperCall Callable<?> method) throws Exception {
      return components.inTransaction(method);
    }
  }

  /** The persistence unit: the WAR's classes, on a data source of its own transactions. */
  private record Unit(DataSource database) implements PersistenceUnitInfo {

    @Override
    public String getPersistenceUnitName() {
      return "berth-components";
    }

    @Override
    public String getPersistenceProviderClassName() {
      return HibernatePersistenceProvider.class.getName();
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
      return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
      return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
      return database;
    }

    @Override
    public List<String> getMappingFileNames() {
      return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
      return List.of();
    }

    /**
     * Where the WAR's classes are, whatever the working directory: its entities are found there.
     */
    @Override
    public URL getPersistenceUnitRootUrl() {
      return org.berth.platform.database.DatabaseMigration.class
          .getProtectionDomain()
          .getCodeSource()
          .getLocation();
    }

    @Override
    public List<String> getManagedClassNames() {
      return List.of();
    }

    @Override
    public boolean excludeUnlistedClasses() {
      return false;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
      return SharedCacheMode.NONE;
    }

    @Override
    public ValidationMode getValidationMode() {
      return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
      return new Properties();
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
      return "3.0";
    }

    @Override
    public ClassLoader getClassLoader() {
      return Components.class.getClassLoader();
    }

    @Override
    public void addTransformer(ClassTransformer transformer) {}

    @Override
    public ClassLoader getNewTempClassLoader() {
      return Components.class.getClassLoader();
    }
  }
}
