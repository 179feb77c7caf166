package org.berth.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * Berth started as production starts it (no {@code berth.demo}), signing people in through the real
 * {@link Keycloak}, with the simulated cluster chosen on purpose. One instance per test JVM, shared
 * by the classes that need it, stopped when the JVM ends. Its people are Keycloak users made here;
 * every password is {@link #PASSWORD}.
 */
public final class ProductionBerth {

  public static final String PASSWORD = "correct horse battery staple";

  /** The jump host's token of this instance. */
  public static final String JUMP_HOST_TOKEN = "production-jumphost-token-0123456789";

  private static ProductionBerth instance;

  private final PayaraProcess process;
  private final Keycloak keycloak;
  private final String dbUrl;
  private final String dbUser;

  private ProductionBerth(PayaraProcess process, Keycloak keycloak, String dbUrl, String dbUser) {
    this.process = process;
    this.keycloak = keycloak;
    this.dbUrl = dbUrl;
    this.dbUser = dbUser;
  }

  /** The shared instance, started on first use (Keycloak, then Berth: about a minute). */
  public static synchronized ProductionBerth get() throws Exception {
    if (instance != null) {
      return instance;
    }
    Keycloak keycloak = Keycloak.get();
    int port = PayaraProcess.freePort();
    URI base = URI.create("http://localhost:" + port + "/");
    keycloak.allowRedirects(base);
    List<String> database = TestDatabase.freshSettings();
    List<String> settings = new ArrayList<>(database);
    java.nio.file.Path data =
        java.nio.file.Files.createTempDirectory(
            java.nio.file.Path.of("target").toAbsolutePath(), "production-data");
    settings.addAll(
        List.of(
            "berth.data-dir=" + data,
            "berth.ledger.remote=" + GitCli.seededRemote(data.resolve("ledger-remote.git")),
            "berth.oidc.issuer=" + keycloak.issuer(),
            "berth.oidc.client-id=" + Keycloak.CLIENT_ID,
            "berth.oidc.client-secret=" + keycloak.clientSecret(),
            "berth.portal-url=" + base,
            "berth.hypervisor=simulated",
            "berth.simulator.port=" + PayaraProcess.freePort(),
            "berth.simulator.task-seconds=0.2",
            "berth.ledger.fetch-interval-seconds=3600",
            "berth.jumphost.token=" + JUMP_HOST_TOKEN,
            "berth.jobs.polling-interval-seconds=1",
            // The authorization matrix sends hundreds of refused credentials from loopback.
            "berth.signin.max-failures-per-address=100000"));
    PayaraProcess process = PayaraProcess.startProduction("production", port, settings);
    new Http(base).awaitReady();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(process)));
    instance =
        new ProductionBerth(
            process, keycloak, value(database, "berth.db.url="), value(database, "berth.db.user="));
    return instance;
  }

  private static void close(PayaraProcess process) {
    try {
      process.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String value(List<String> settings, String prefix) {
    return settings.stream()
        .filter(s -> s.startsWith(prefix))
        .map(s -> s.substring(prefix.length()))
        .findFirst()
        .orElseThrow();
  }

  public URI base() {
    return process.base();
  }

  public Keycloak keycloak() {
    return keycloak;
  }

  public String log() throws java.io.IOException {
    return process.log();
  }

  /** Creates a Keycloak user, once, with {@link #PASSWORD} and these roles of client berth. */
  public synchronized void person(String username, String displayName, String... roles) {
    if (created.add(username)) {
      String[] names = displayName.split(" ", 2);
      keycloak.createUser(
          username,
          PASSWORD,
          names[0],
          names.length > 1 ? names[1] : "Example",
          username + "@example.org",
          roles);
    }
  }

  private final java.util.Set<String> created = new java.util.HashSet<>();

  /**
   * A container template, as an admin adds on Admin → Templates (production has no demo templates);
   * adding it twice changes nothing.
   */
  public void containerTemplate(String name) throws Exception {
    sql(
        "INSERT INTO template (name, kind, hypervisor_ref, os_user, default_cores, max_cores,"
            + " default_memory_mib, max_memory_mib, default_disk_gib, max_disk_gib)"
            + " VALUES (?, 'CONTAINER', 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',"
            + " 'root', 1, 2, 512, 2048, 8, 20) ON CONFLICT DO NOTHING",
        name);
  }

  /** Runs one SQL statement on Berth's database, as an operator could. */
  public int sql(String statement, Object... parameters) throws Exception {
    try (Connection c = DriverManager.getConnection(dbUrl, dbUser, null);
        PreparedStatement st = c.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        st.setObject(i + 1, parameters[i]);
      }
      return st.executeUpdate();
    }
  }
}
