package org.berth.identity;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Mode;
import org.berth.platform.config.Settings;
import org.eclipse.microprofile.config.Config;

/**
 * The sign-in settings: the identity provider ({@code berth.oidc.*}), the longest a page session
 * lives ({@code berth.session.max-hours}) and how failed sign-ins are throttled ({@code
 * berth.signin.*}). Read once; a setting that breaks its rule is logged by name, and sign-in
 * through the provider is then refused rather than half configured.
 */
@ApplicationScoped
public class IdentitySettings {

  private static final Logger LOG = Logger.getLogger(IdentitySettings.class.getName());

  @Inject Config config;
  @Inject Mode mode;

  private Settings settings;
  private OidcSettings oidc;
  private InvalidSetting invalid;
  private Duration sessionMaxAge;
  private int maxFailures;
  private int maxAddressFailures;
  private Duration failureWindow;

  @PostConstruct
  void read() {
    settings = new Settings(config);
    sessionMaxAge = Duration.ofHours(number("berth.session.max-hours", 8, 1, 24 * 30));
    maxFailures = number("berth.signin.max-failures", 10, 1, 100_000);
    maxAddressFailures = number("berth.signin.max-failures-per-address", 100, 1, 1_000_000);
    failureWindow = Duration.ofSeconds(number("berth.signin.window-seconds", 300, 1, 86_400));
    try {
      oidc = readOidc().orElse(null);
    } catch (InvalidSetting e) {
      invalid = e;
      LOG.log(Level.SEVERE, "Sign-in through the identity provider is off: {0}", e.getMessage());
    }
    if (oidc != null) {
      LOG.log(
          Level.INFO,
          "Sign-in through the identity provider {0} as client {1}",
          new Object[] {oidc.issuer(), oidc.clientId()});
    } else if (mode.isDemo() && invalid == null) {
      LOG.log(Level.WARNING, "Sign-in with the demo's built-in accounts (berth.demo=true)");
    }
  }

  /** The identity provider, if one is configured and its settings keep their rules. */
  public Optional<OidcSettings> oidc() {
    return Optional.ofNullable(oidc);
  }

  /** Why the identity provider's settings were refused, if they were. */
  public Optional<InvalidSetting> invalid() {
    return Optional.ofNullable(invalid);
  }

  /** Whether the demo's accounts and HTTP Basic with passwords are on. */
  public boolean demoAccounts() {
    return mode.isDemo();
  }

  /** A page session ends this long after its sign-in, however active it is. */
  public Duration sessionMaxAge() {
    return sessionMaxAge;
  }

  /** Failures within the window after which an account is throttled. */
  public int maxFailures() {
    return maxFailures;
  }

  /**
   * Failures within the window after which a client address is throttled: higher than an account's,
   * because many people may share an address (an office's NAT, the reverse proxy).
   */
  public int maxAddressFailures() {
    return maxAddressFailures;
  }

  public Duration failureWindow() {
    return failureWindow;
  }

  private Optional<OidcSettings> readOidc() {
    Optional<String> issuerText = text("berth.oidc.issuer");
    if (issuerText.isEmpty()) {
      return Optional.empty();
    }
    URI issuer = url("berth.oidc.issuer", issuerText.get());
    String clientId = text("berth.oidc.client-id").orElse("berth");
    String secret = secret();
    String rolesPath =
        text("berth.oidc.roles-claim").orElse("resource_access." + clientId + ".roles");
    List<String> rolesClaim = Arrays.asList(rolesPath.split("\\."));
    if (rolesClaim.stream().anyMatch(String::isEmpty)) {
      throw new InvalidSetting(
          "berth.oidc.roles-claim", "must be a dot-separated claim path such as groups");
    }
    String portal = text("berth.portal-url").orElse("http://localhost:8080");
    URI portalUrl = url("berth.portal-url", portal.endsWith("/") ? portal : portal + "/");
    return Optional.of(
        new OidcSettings(
            issuer,
            clientId,
            secret,
            text("berth.oidc.audience").orElse(clientId),
            rolesClaim,
            text("berth.oidc.developer-role").orElse(Role.DEVELOPER),
            text("berth.oidc.admin-role").orElse(Role.ADMIN),
            text("berth.oidc.scopes").orElse("openid profile email"),
            portalUrl));
  }

  /** The client secret, from the setting or from a file; its value is never logged. */
  private String secret() {
    Optional<String> inline = text("berth.oidc.client-secret");
    Optional<String> file = text("berth.oidc.client-secret-file");
    if (inline.isPresent() && file.isPresent()) {
      throw new InvalidSetting(
          "berth.oidc.client-secret-file",
          "must not be set together with berth.oidc.client-secret");
    }
    if (inline.isPresent()) {
      return inline.get();
    }
    if (file.isEmpty()) {
      throw new InvalidSetting(
          "berth.oidc.client-secret",
          "must be set (or berth.oidc.client-secret-file) when berth.oidc.issuer is");
    }
    try {
      String read = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
      if (read.isEmpty()) {
        throw new InvalidSetting("berth.oidc.client-secret-file", "must name a non-empty file");
      }
      return read;
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidSetting invalidSetting) {
        throw invalidSetting;
      }
      throw new InvalidSetting("berth.oidc.client-secret-file", "must name a readable file");
    }
  }

  private static URI url(String key, String value) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null
          || !uri.getScheme().matches("https?")
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new InvalidSetting(key, "must be an http(s) URL without user, query or fragment");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new InvalidSetting(key, "must be an http(s) URL");
    }
  }

  /**
   * A whole number in its range; a value that breaks the rule is logged and the default used, so
   * that a typo in a throttling setting never stops everyone from signing in.
   */
  private int number(String key, int fallback, int min, int max) {
    try {
      return settings.whole(key, fallback, min, max);
    } catch (InvalidSetting e) {
      LOG.log(Level.SEVERE, "{0}; using {1}", new Object[] {e.getMessage(), fallback});
      return fallback;
    }
  }

  private Optional<String> text(String key) {
    return settings.text(key);
  }
}
