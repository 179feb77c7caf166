/**
 * Berth's figures for Prometheus: one Micrometer registry every feature registers its meters in,
 * and {@code /metrics}, which answers the scraper's token.
 *
 * <p>Meters that count events live in memory and start at zero with each process (Prometheus's
 * {@code rate} and {@code increase} are made for that); figures of the shared database (requests by
 * state, job backlog, mail queue) are read at scrape time, at most once per {@link Sampled} period,
 * and are the same on every instance.
 */
package org.berth.platform.metrics;
