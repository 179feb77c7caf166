/**
 * The reverse-proxy port {@link org.berth.access.proxy.ProxyRoutes} and its writers: nginx include
 * files and Caddy's admin API. Only {@link org.berth.access.proxy.Route}s reach a writer, and a
 * route's constructor refuses anything that is not a plain host name, an IPv4 address and a port,
 * so no request field can inject proxy configuration.
 */
package org.berth.access.proxy;
