package org.berth.access.proxy;

import java.util.Set;

/**
 * The reverse proxy in front of NAT guests, as Berth changes it: one route per guest, identified by
 * its request id. Every method is idempotent and safe to call again after a failure, so jobs can
 * retry them and a periodic sync can re-apply the whole set. Writers serialise their own changes
 * and may be shared between threads; their calls wait on the proxy (commands, HTTP requests), so
 * make them from jobs, never inside a database transaction.
 */
public interface ProxyRoutes {

  /** What this writer changes, for logs and the admin pages, such as "nginx in /etc/nginx/...". */
  String description();

  /**
   * Makes the proxy serve {@code route}, replacing the request's earlier route if it differs.
   *
   * @return false if the proxy's configuration (nginx: the route files; Caddy: its config) held
   *     exactly this route already and nothing was changed; see {@link #refresh()} for a change
   *     written but never loaded
   * @throws ProxyFailure if the proxy did not take the change; it then serves what it did before
   */
  boolean put(Route route);

  /**
   * Removes the route of a request.
   *
   * @return false if there was no such route
   * @throws ProxyFailure if the proxy did not take the change; it then serves what it did before
   */
  boolean remove(long requestId);

  /**
   * The request ids of the routes Berth has in the proxy now, for a periodic sync to compare with
   * the routes it wants.
   *
   * @throws ProxyFailure if the proxy cannot be read
   */
  Set<Long> routes();

  /**
   * Makes the proxy load what the writer has written, in case an earlier change was written but
   * never loaded (the process died in between). The periodic sync calls it; a writer whose every
   * change takes effect at once has nothing to do.
   *
   * @throws ProxyFailure if the proxy refused to load it; it then serves what it did before
   */
  default void refresh() {}
}
