package org.berth.platform.database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Settings;
import org.eclipse.microprofile.config.Config;

/**
 * The database settings, read from MicroProfile Config and checked before anything connects.
 *
 * @param url the JDBC URL of an external PostgreSQL; empty to use the embedded one
 * @param user the user for {@code url}; empty to take it from the URL
 * @param password the password for {@code url}; never logged or shown
 * @param dataDirectory where the embedded database keeps its data and binaries
 * @param embeddedPort the embedded database's TCP port on localhost; 0 picks a free one
 * @param connectTimeout how long one connection attempt may take
 * @param retryInterval how long to wait before trying again while the database is unavailable
 */
public record DatabaseSettings(
    Optional<String> url,
    Optional<String> user,
    Optional<String> password,
    Path dataDirectory,
    int embeddedPort,
    Duration connectTimeout,
    Duration retryInterval) {

  public static final String URL = "berth.db.url";
  public static final String USER = "berth.db.user";
  public static final String PASSWORD = "berth.db.password";
  public static final String DATA_DIR = "berth.data-dir";
  public static final String EMBEDDED_PORT = "berth.db.embedded-port";
  public static final String CONNECT_TIMEOUT = "berth.db.connect-timeout-seconds";
  public static final String RETRY_INTERVAL = "berth.db.retry-interval-seconds";

  private static final Pattern JDBC_POSTGRESQL =
      Pattern.compile("jdbc:postgresql://[^/?#\\s]+/[^?#\\s]+(\\?[^#\\s]*)?");
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)((?:password|sslpassword)=)[^&]*");

  public DatabaseSettings {
    url = url.map(String::strip).filter(u -> !u.isEmpty());
    user = user.map(String::strip).filter(u -> !u.isEmpty());
    password = password.filter(p -> !p.isEmpty());
    url.ifPresent(
        u -> {
          if (!JDBC_POSTGRESQL.matcher(u).matches()) {
            throw new InvalidSetting(
                URL, "must be a PostgreSQL JDBC URL: jdbc:postgresql://HOST[:PORT]/DATABASE");
          }
        });
    dataDirectory = dataDirectory.toAbsolutePath().normalize();
  }

  /** Reads the settings; a value that breaks a rule throws {@link InvalidSetting}. */
  public static DatabaseSettings from(Config config) {
    Settings settings = new Settings(config);
    return new DatabaseSettings(
        settings.text(URL),
        settings.text(USER),
        config.getOptionalValue(PASSWORD, String.class),
        Path.of(settings.text(DATA_DIR, "data")),
        settings.whole(EMBEDDED_PORT, 0, 0, 65535),
        Duration.ofSeconds(settings.whole(CONNECT_TIMEOUT, 5, 1, 3600)),
        Duration.ofSeconds(settings.whole(RETRY_INTERVAL, 10, 1, 3600)));
  }

  public boolean embedded() {
    return url.isEmpty();
  }

  /** The URL as it may appear in a log line or on a page: secret parameters are masked. */
  public String redactedUrl() {
    return url.map(DatabaseSettings::redact).orElse("(embedded)");
  }

  static String redact(String jdbcUrl) {
    return SECRET_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return "DatabaseSettings[url=" + redactedUrl() + ", dataDirectory=" + dataDirectory + "]";
  }
}
