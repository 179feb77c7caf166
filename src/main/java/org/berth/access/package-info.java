/**
 * Access to guests: NAT addressing of guests on the internal network, reverse-proxy routes from
 * {@code <name>.<domain>} to a NAT guest's HTTP port, and the keys the SSH jump host accepts.
 *
 * <p>Invariants: no two live guests hold one internal address or MAC (database constraints); Berth
 * wants a route for each READY NAT guest that exposes an HTTP port and none for anything else
 * (route jobs and a periodic sync bring the proxy there); the jump host lets a key forward only to
 * its owner's READY guests. Proxy configuration is written from jobs, never inside a database
 * transaction, and only from validated {@link org.berth.access.proxy.Route}s.
 */
package org.berth.access;
