package org.berth.access.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.berth.access.proxy.CaddyRoutes;
import org.berth.access.proxy.NginxRoutes;
import org.berth.access.proxy.ProxyRoutes;

/** The reverse proxy this instance writes routes to, as {@code berth.proxy.kind} chooses. */
@ApplicationScoped
public class ReverseProxy {

  private static final Logger LOG = Logger.getLogger(ReverseProxy.class.getName());

  @Inject AccessSettings settings;

  private ProxyRoutes writer;

  @PostConstruct
  void create() {
    writer =
        switch (settings.proxyKind()) {
          case NONE -> null;
          case NGINX ->
              new NginxRoutes(
                  settings.nginxRoutesDir(),
                  settings.nginxTestCommand(),
                  settings.nginxReloadCommand(),
                  settings.proxyTimeout());
          case CADDY ->
              new CaddyRoutes(
                  settings.caddyAdminUrl(), settings.caddyServer(), settings.proxyTimeout());
        };
    LOG.info(
        writer == null
            ? "No reverse proxy: NAT guests get no web address routes (berth.proxy.kind=none)"
            : "Reverse proxy routes for *." + settings.proxyDomain() + ": " + writer.description());
  }

  /** Sets the writer up at start-up, so the log says which proxy Berth writes to. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    writer();
  }

  /** The writer, or empty when no reverse proxy is configured. */
  public Optional<ProxyRoutes> writer() {
    return Optional.ofNullable(writer);
  }
}
