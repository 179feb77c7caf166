package org.berth.access.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.berth.access.control.NatNetwork;
import org.berth.platform.config.InvalidSetting;
import org.berth.requests.control.AccessPoints;
import org.eclipse.microprofile.config.Config;

/**
 * The access settings of this instance: the internal network of NAT guests ({@code berth.nat.*}),
 * the reverse proxy ({@code berth.proxy.*}) and the SSH jump host ({@code berth.jumphost.*}). A
 * value that breaks its rule stops start-up with the setting's name and the rule.
 */
@ApplicationScoped
public class AccessSettings {

  /** Which reverse proxy Berth writes routes to. */
  public enum ProxyKind {
    NONE,
    NGINX,
    CADDY
  }

  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,189}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");

  @Inject Config config;

  private NatNetwork nat;
  private ProxyKind proxyKind;
  private String proxyDomain;
  private Path nginxRoutesDir;
  private List<String> nginxTestCommand;
  private List<String> nginxReloadCommand;
  private Duration proxyTimeout;
  private URI caddyAdminUrl;
  private String caddyServer;
  private Duration proxySyncEvery;
  private String jumpHostToken;
  private AccessPoints points;

  @PostConstruct
  void read() {
    try {
      nat =
          new NatNetwork(
              string("berth.nat.network").orElse(NatNetwork.DEFAULT),
              string("berth.nat.gateway").orElse(null),
              list("berth.nat.dns"),
              string("berth.nat.mac-prefix").orElse("02:be:27"),
              string("berth.nat.bridge").orElse("vmbr1"));
    } catch (NatNetwork.Invalid e) {
      throw new InvalidSetting("berth.nat." + e.part(), e.rule());
    }
    String kind = string("berth.proxy.kind").orElse("none").toUpperCase(Locale.ROOT);
    try {
      proxyKind = ProxyKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting("berth.proxy.kind", "must be none, nginx or caddy");
    }
    proxyDomain = string("berth.proxy.domain").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
    if (proxyDomain != null && !DOMAIN.matcher(proxyDomain).matches()) {
      throw new InvalidSetting(
          "berth.proxy.domain", "must be a DNS domain such as guests.example.org");
    }
    if (proxyKind != ProxyKind.NONE && proxyDomain == null) {
      throw new InvalidSetting(
          "berth.proxy.domain", "must be set when berth.proxy.kind is " + kind.toLowerCase());
    }
    nginxRoutesDir =
        Path.of(string("berth.proxy.nginx.routes-dir").orElse("/etc/nginx/berth-routes"));
    if (!nginxRoutesDir.isAbsolute()) {
      throw new InvalidSetting("berth.proxy.nginx.routes-dir", "must be an absolute path");
    }
    nginxTestCommand = command("berth.proxy.nginx.test-command", "nginx -t -q");
    nginxReloadCommand = command("berth.proxy.nginx.reload-command", "nginx -s reload");
    proxyTimeout = Duration.ofSeconds(range("berth.proxy.timeout-seconds", 10, 1, 300));
    try {
      caddyAdminUrl =
          URI.create(string("berth.proxy.caddy.admin-url").orElse("http://127.0.0.1:2019"));
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting("berth.proxy.caddy.admin-url", "must be a URL");
    }
    if (!"http".equals(caddyAdminUrl.getScheme()) && !"https".equals(caddyAdminUrl.getScheme())
        || caddyAdminUrl.getHost() == null
        || caddyAdminUrl.getRawUserInfo() != null
        || caddyAdminUrl.getRawQuery() != null
        || !(caddyAdminUrl.getRawPath() == null
            || caddyAdminUrl.getRawPath().isEmpty()
            || caddyAdminUrl.getRawPath().equals("/"))) {
      throw new InvalidSetting(
          "berth.proxy.caddy.admin-url",
          "must be an http(s) URL of a host and port only, such as http://127.0.0.1:2019");
    }
    caddyServer = string("berth.proxy.caddy.server").orElse("berth");
    if (!caddyServer.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new InvalidSetting(
          "berth.proxy.caddy.server", "must be a Caddy server name of letters, digits, _ and -");
    }
    proxySyncEvery = Duration.ofMinutes(range("berth.proxy.sync-minutes", 10, 1, 1440));
    jumpHostToken = string("berth.jumphost.token").orElse(null);
    if (jumpHostToken != null && !jumpHostToken.matches("[A-Za-z0-9._~+/=-]{16,}")) {
      throw new InvalidSetting(
          "berth.jumphost.token",
          "must be at least 16 characters of letters, digits and . _ ~ + / = - (as the jump"
              + " host's key command sends it in a Bearer header)");
    }
    String jumpHost = string("berth.jumphost.host").orElse(null);
    if (jumpHost != null && !jumpHost.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
      throw new InvalidSetting(
          "berth.jumphost.host", "must be a host name such as jump.example.org");
    }
    points =
        new AccessPoints(
            proxyDomain,
            jumpHost,
            range("berth.jumphost.port", 22, 1, 65535),
            range("berth.jumphost.guest-port", 22, 1, 65535));
  }

  private Optional<String> string(String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
  }

  private List<String> list(String key) {
    return string(key)
        .map(s -> Arrays.stream(s.split("[,\\s]+")).filter(p -> !p.isEmpty()).toList())
        .orElse(List.of());
  }

  private List<String> command(String key, String fallback) {
    List<String> argv = Arrays.asList(string(key).orElse(fallback).split("\\s+"));
    if (!argv.get(0).startsWith("/") && argv.get(0).contains("/")) {
      throw new InvalidSetting(key, "must name a program on the PATH or by its absolute path");
    }
    return List.copyOf(argv);
  }

  private int range(String key, int fallback, int min, int max) {
    int value;
    try {
      value = config.getOptionalValue(key, Integer.class).orElse(fallback);
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(key, "must be a whole number from " + min + " to " + max);
    }
    if (value < min || value > max) {
      throw new InvalidSetting(key, "must be from " + min + " to " + max);
    }
    return value;
  }

  /** The internal network of NAT guests. */
  @Produces
  public NatNetwork nat() {
    return nat;
  }

  /** Where people reach guests from. */
  @Produces
  public AccessPoints points() {
    return points;
  }

  public ProxyKind proxyKind() {
    return proxyKind;
  }

  /** The domain NAT guests' names live under, or null without a reverse proxy. */
  public String proxyDomain() {
    return proxyDomain;
  }

  public Path nginxRoutesDir() {
    return nginxRoutesDir;
  }

  public List<String> nginxTestCommand() {
    return nginxTestCommand;
  }

  public List<String> nginxReloadCommand() {
    return nginxReloadCommand;
  }

  /** How long one proxy command or admin API call may take. */
  public Duration proxyTimeout() {
    return proxyTimeout;
  }

  public URI caddyAdminUrl() {
    return caddyAdminUrl;
  }

  public String caddyServer() {
    return caddyServer;
  }

  /** How often every route is checked against the proxy and put right. */
  public Duration proxySyncEvery() {
    return proxySyncEvery;
  }

  /** The secret the jump host's key command sends; empty when no jump host is set up. */
  public Optional<String> jumpHostToken() {
    return Optional.ofNullable(jumpHostToken);
  }
}
