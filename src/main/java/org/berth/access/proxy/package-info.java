/**
 * The reverse-proxy port {@link org.berth.access.proxy.ProxyRoutes} and its writers: {@link
 * org.berth.access.proxy.NginxRoutes} (include files, {@code nginx -t}, reload) and {@link
 * org.berth.access.proxy.CaddyRoutes} (Caddy's admin API). Only {@link
 * org.berth.access.proxy.Route}s reach a writer, and a route's constructor refuses anything that is
 * not a plain host name, an IPv4 address and a port, so no request field can inject proxy
 * configuration. The site and configuration the writers expect ship in {@code deploy/nginx} and
 * {@code deploy/caddy}; their integration tests run those files.
 */
package org.berth.access.proxy;
