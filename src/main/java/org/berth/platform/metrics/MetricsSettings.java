package org.berth.platform.metrics;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Settings;
import org.eclipse.microprofile.config.Config;

/** {@code berth.metrics.token}: the secret Prometheus sends to read {@code /metrics}. */
@ApplicationScoped
public class MetricsSettings {

  static final String TOKEN = "berth.metrics.token";

  @Inject Config config;

  private String token;

  @PostConstruct
  void read() {
    token = new Settings(config).text(TOKEN).orElse(null);
    if (token != null && !token.matches("[A-Za-z0-9._~+/=-]{16,}")) {
      throw new InvalidSetting(
          TOKEN,
          "must be at least 16 characters of letters, digits and . _ ~ + / = - (Prometheus sends"
              + " it in a Bearer header)");
    }
  }

  /** Reads the setting at start-up, so that an invalid one is reported there. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    token();
  }

  /** The scraper's token; empty when metrics are not to be read. */
  public Optional<String> token() {
    return Optional.ofNullable(token);
  }
}
