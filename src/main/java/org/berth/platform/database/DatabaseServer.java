package org.berth.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where Berth's database is: the configured PostgreSQL server, or an embedded PostgreSQL started on
 * first use with its data in {@code <data-dir>/postgres}, so a restart keeps everything.
 *
 * <p>One per process, because the embedded server is a process of its own that the container's
 * connection pool and the start-up migration share.
 */
public final class DatabaseServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(DatabaseServer.class.getName());
  static final String EMBEDDED_DATABASE = "berth";

  /** The embedded server narrates every start at INFO; operators need only its warnings. */
  private static final Logger EMBEDDED_LOG = quiet(Logger.getLogger("io.zonky.test.db.postgres"));

  private static Logger quiet(Logger logger) {
    logger.setLevel(Level.WARNING);
    return logger;
  }

  private static DatabaseServer current;

  private final DatabaseSettings settings;
  private final EmbeddedPostgres embedded;
  private final PGSimpleDataSource dataSource;

  private DatabaseServer(
      DatabaseSettings settings, EmbeddedPostgres embedded, PGSimpleDataSource dataSource) {
    this.settings = settings;
    this.embedded = embedded;
    this.dataSource = dataSource;
  }

  /**
   * The process's database server, started on first call from {@code settings}. A failed start is
   * not remembered, so the next call tries again.
   */
  public static synchronized DatabaseServer obtain(DatabaseSettings settings) throws SQLException {
    if (current == null) {
      current = start(settings);
    }
    return current;
  }

  /** The process's database server if one has been obtained. */
  static synchronized DatabaseServer current() throws SQLException {
    if (current == null) {
      throw new SQLException("Berth's database has not been started yet", "08001");
    }
    return current;
  }

  /** Stops the embedded server, if this process started one. */
  public static synchronized void shutdown() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  /** Starts (embedded) or describes (external) the database that {@code settings} name. */
  public static DatabaseServer start(DatabaseSettings settings) throws SQLException {
    if (!settings.embedded()) {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(settings.url().orElseThrow());
      settings.user().ifPresent(ds::setUser);
      settings.password().ifPresent(ds::setPassword);
      configureTimeouts(ds, settings);
      return new DatabaseServer(settings, null, ds);
    }
    EmbeddedPostgres pg = startEmbedded(settings);
    try {
      createDatabaseIfMissing(pg.getPostgresDatabase());
    } catch (SQLException e) {
      closeQuietly(pg);
      throw e;
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"localhost"});
    ds.setPortNumbers(new int[] {pg.getPort()});
    ds.setDatabaseName(EMBEDDED_DATABASE);
    ds.setUser("postgres");
    configureTimeouts(ds, settings);
    LOG.log(
        Level.INFO,
        "Embedded PostgreSQL is running on localhost:{0,number,#} with its data in {1}",
        new Object[] {pg.getPort(), dataDirectory(settings)});
    return new DatabaseServer(settings, pg, ds);
  }

  private static EmbeddedPostgres startEmbedded(DatabaseSettings settings) throws SQLException {
    Path data = dataDirectory(settings);
    Path binaries = settings.dataDirectory().resolve("postgres-bin");
    try {
      Files.createDirectories(data.getParent());
      Files.createDirectories(binaries);
      stopOrphan(data);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(data)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(binaries.toFile())
              // Keep the socket out of /tmp; TCP on localhost is all Berth uses.
              .setServerConfig("unix_socket_directories", "")
              .setServerConfig("listen_addresses", "localhost");
      if (settings.embeddedPort() > 0) {
        builder.setPort(settings.embeddedPort());
      }
      return builder.start();
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw new SQLException(
          "the embedded PostgreSQL did not start in " + data + ": " + e.getMessage(), "08001", e);
    }
  }

  /**
   * Stops an embedded PostgreSQL that an earlier Berth process left running on {@code data}: it
   * outlives a Berth killed with SIGKILL and would keep the data directory from starting again.
   * Only a live postgres whose command line names this very directory is stopped, with SIGTERM
   * (PostgreSQL's smart shutdown; its clients died with the old process); a pid file of a process
   * that is gone is left to PostgreSQL, which ignores it.
   */
  static void stopOrphan(Path data) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    } catch (NumberFormatException | IndexOutOfBoundsException | IOException e) {
      return;
    }
    java.util.Optional<ProcessHandle> process =
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return;
    }
    String command = process.get().info().commandLine().orElse("");
    String absolute = data.toAbsolutePath().normalize().toString();
    String real = data.toRealPath().toString();
    if (!command.contains("postgres") || !(command.contains(absolute) || command.contains(real))) {
      LOG.log(
          Level.WARNING,
          "{0} names process {1,number,#}, which is not an embedded PostgreSQL of this directory;"
              + " leaving it alone",
          new Object[] {pidFile, pid});
      return;
    }
    LOG.log(
        Level.WARNING,
        "An embedded PostgreSQL (pid {0,number,#}) left running by an earlier Berth process holds"
            + " {1}; stopping it before starting anew",
        new Object[] {pid, data});
    process.get().destroy();
    try {
      process.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      throw new IOException("the earlier embedded PostgreSQL (pid " + pid + ") did not stop", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the earlier embedded PostgreSQL", e);
    }
  }

  private static Path dataDirectory(DatabaseSettings settings) {
    return settings.dataDirectory().resolve("postgres");
  }

  private static void createDatabaseIfMissing(DataSource admin) throws SQLException {
    try (Connection c = admin.getConnection();
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, EMBEDDED_DATABASE);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE " + EMBEDDED_DATABASE);
      }
    }
  }

  private static void configureTimeouts(PGSimpleDataSource ds, DatabaseSettings settings) {
    int seconds = (int) settings.connectTimeout().toSeconds();
    ds.setConnectTimeout(seconds);
    ds.setLoginTimeout(seconds);
    ds.setApplicationName("berth");
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not stop the embedded PostgreSQL: {0}", e.getMessage());
    }
  }

  /** Plain connections to the database, outside the container's pool and transactions. */
  public DataSource dataSource() {
    return dataSource;
  }

  public DatabaseSettings settings() {
    return settings;
  }

  /** What an operator reads in a log line: the redacted URL, or the embedded server's place. */
  public String describe() {
    return embedded == null
        ? settings.redactedUrl()
        : "embedded PostgreSQL on localhost:" + embedded.getPort();
  }

  @Override
  public void close() {
    if (embedded != null) {
      closeQuietly(embedded);
      LOG.info("Embedded PostgreSQL stopped");
    }
  }
}
