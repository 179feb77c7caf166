package org.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL server of Debian's package, of its own in a temporary folder on a free port, with
 * the same version's {@code pg_dump} and {@code pg_restore}: what an operator backs Berth up with.
 * (The embedded server of the other tests is newer than Debian's client tools.) Run as root, the
 * server runs as the {@code postgres} user, as PostgreSQL insists.
 */
public final class DebianPostgres implements AutoCloseable {

  public static final String USER = "berth";

  private final Path bin;
  private final Path dir;
  private final int port;

  private DebianPostgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a fresh cluster whose superuser {@link #USER} signs in without a password. */
  public static DebianPostgres start() throws Exception {
    Path bin = RequiredProgram.POSTGRESQL.require().getParent();
    Path dir = Files.createTempDirectory("berth-pg");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      Exec.run(List.of("chown", "postgres:postgres", dir.toString()), null, Duration.ofSeconds(10));
    }
    int port = PayaraProcess.freePort();
    DebianPostgres pg = new DebianPostgres(bin, dir, port);
    pg.asServerUser(
        "initdb",
        "-D",
        dir.resolve("data").toString(),
        "-U",
        USER,
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C");
    pg.asServerUser(
        "pg_ctl",
        "-D",
        dir.resolve("data").toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
        "start");
    return pg;
  }

  private void asServerUser(String program, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    Exec.Result r = Exec.run(command, null, Duration.ofSeconds(60));
    if (r.exit() != 0) {
      throw new AssertionError(program + " failed: " + r.all());
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The settings that point Berth at {@code database}. */
  public List<String> settings(String database) {
    return List.of(
        "berth.db.url=" + jdbcUrl(database), "berth.db.user=" + USER, "berth.db.password=unused");
  }

  public void createDatabase(String name) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  public Connection connect(String database) throws Exception {
    return DriverManager.getConnection(jdbcUrl(database), USER, "");
  }

  /** {@code pg_dump -Fc} of {@code database}, as the operations guide says. */
  public void dump(String database, Path file) throws Exception {
    client("pg_dump", "-Fc", "-f", file.toString(), database);
  }

  /** {@code pg_restore} of a dump into an empty {@code database}, as the operations guide says. */
  public void restore(Path file, String database) throws Exception {
    client("pg_restore", "--no-owner", "-d", database, file.toString());
  }

  private void client(String program, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                bin.resolve(program).toString(), "-h", "127.0.0.1", "-p", "" + port, "-U", USER));
    command.addAll(List.of(args));
    Exec.Result r = Exec.run(command, null, Duration.ofSeconds(120));
    if (r.exit() != 0) {
      throw new AssertionError(program + " failed: " + r.all());
    }
  }

  @Override
  public void close() throws Exception {
    asServerUser("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder; the machine cleans /tmp
    }
  }
}
