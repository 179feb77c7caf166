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
import org.berth.platform.config.Settings;
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
    Settings settings = new Settings(config);
    try {
      nat =
          new NatNetwork(
              settings.text("berth.nat.network", NatNetwork.DEFAULT),
              settings.text("berth.nat.gateway", null),
              settings.list("berth.nat.dns"),
              settings.text("berth.nat.mac-prefix", "02:be:27"),
              settings.text("berth.nat.bridge", "vmbr1"));
    } catch (NatNetwork.Invalid e) {
      throw new InvalidSetting("berth.nat." + e.part(), e.rule());
    }
    String kind = settings.text("berth.proxy.kind").orElse("none").toUpperCase(Locale.ROOT);
    try {
      proxyKind = ProxyKind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting("berth.proxy.kind", "must be none, nginx or caddy");
    }
    proxyDomain =
        settings.text("berth.proxy.domain").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
    if (proxyDomain != null && !DOMAIN.matcher(proxyDomain).matches()) {
      throw new InvalidSetting(
          "berth.proxy.domain", "must be a DNS domain such as guests.example.org");
    }
    if (proxyKind != ProxyKind.NONE && proxyDomain == null) {
      throw new InvalidSetting(
          "berth.proxy.domain", "must be set when berth.proxy.kind is " + kind.toLowerCase());
    }
    nginxRoutesDir =
        Path.of(settings.text("berth.proxy.nginx.routes-dir").orElse("/etc/nginx/berth-routes"));
    if (!nginxRoutesDir.isAbsolute()) {
      throw new InvalidSetting("berth.proxy.nginx.routes-dir", "must be an absolute path");
    }
    nginxTestCommand = command(settings, "berth.proxy.nginx.test-command", "nginx -t -q");
    nginxReloadCommand = command(settings, "berth.proxy.nginx.reload-command", "nginx -s reload");
    proxyTimeout = Duration.ofSeconds(settings.whole("berth.proxy.timeout-seconds", 10, 1, 300));
    try {
      caddyAdminUrl =
          URI.create(settings.text("berth.proxy.caddy.admin-url").orElse("http://127.0.0.1:2019"));
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
    caddyServer = settings.text("berth.proxy.caddy.server").orElse("berth");
    if (!caddyServer.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new InvalidSetting(
          "berth.proxy.caddy.server", "must be a Caddy server name of letters, digits, _ and -");
    }
    proxySyncEvery = Duration.ofMinutes(settings.whole("berth.proxy.sync-minutes", 10, 1, 1440));
    jumpHostToken = settings.text("berth.jumphost.token").orElse(null);
    if (jumpHostToken != null && !jumpHostToken.matches("[A-Za-z0-9._~+/=-]{16,}")) {
      throw new InvalidSetting(
          "berth.jumphost.token",
          "must be at least 16 characters of letters, digits and . _ ~ + / = - (as the jump"
              + " host's key command sends it in a Bearer header)");
    }
    String jumpHost = settings.text("berth.jumphost.host").orElse(null);
    if (jumpHost != null && !jumpHost.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
      throw new InvalidSetting(
          "berth.jumphost.host", "must be a host name such as jump.example.org");
    }
    points =
        new AccessPoints(
            proxyDomain,
            jumpHost,
            settings.whole("berth.jumphost.port", 22, 1, 65535),
            settings.whole("berth.jumphost.guest-port", 22, 1, 65535));
  }

  private static List<String> command(Settings settings, String key, String fallback) {
    List<String> argv = Arrays.asList(settings.text(key, fallback).split("\\s+"));
    if (!argv.get(0).startsWith("/") && argv.get(0).contains("/")) {
      throw new InvalidSetting(key, "must name a program on the PATH or by its absolute path");
    }
    return List.copyOf(argv);
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
