/**
 * Plumbing every feature relies on: where the database is and its migrations at start-up, the
 * JAX-RS application and its single error shape, readiness, and request gates.
 *
 * <p>Owns no business rules. Features may call it; it calls no feature except {@code identity} for
 * the current caller.
 */
package org.berth.platform;
