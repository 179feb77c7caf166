package org.berth.platform.database;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.berth.platform.config.InvalidSetting;
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
    if (embeddedPort < 0 || embeddedPort > 65535) {
      throw new InvalidSetting(EMBEDDED_PORT, "must be between 0 and 65535");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new InvalidSetting(CONNECT_TIMEOUT, "must be at least 1");
    }
    if (retryInterval.isNegative() || retryInterval.isZero()) {
      throw new InvalidSetting(RETRY_INTERVAL, "must be at least 1");
    }
    dataDirectory = dataDirectory.toAbsolutePath().normalize();
  }

  /** Reads the settings; a value that breaks a rule throws {@link InvalidSetting}. */
  public static DatabaseSettings from(Config config) {
    return new DatabaseSettings(
        config.getOptionalValue(URL, String.class),
        config.getOptionalValue(USER, String.class),
        config.getOptionalValue(PASSWORD, String.class),
        Path.of(config.getOptionalValue(DATA_DIR, String.class).orElse("data")),
        integer(config, EMBEDDED_PORT, 0),
        Duration.ofSeconds(integer(config, CONNECT_TIMEOUT, 5)),
        Duration.ofSeconds(integer(config, RETRY_INTERVAL, 10)));
  }

  private static int integer(Config config, String name, int fallback) {
    String value = config.getOptionalValue(name, String.class).orElse("").strip();
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidSetting(name, "must be a whole number");
    }
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
