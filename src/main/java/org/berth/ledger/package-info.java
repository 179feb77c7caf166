/**
 * The address ledger: the pre-registered MAC/IP pairs, kept as a YAML list in a Git repository that
 * stays the source of truth and that people may keep editing by hand.
 *
 * <ul>
 *   <li>{@code control}: the file format and its one-entry edits ({@code LedgerFile}), the whole
 *       ledger at a commit ({@code LedgerSnapshot}), Git access ({@code GitLedger}), and the only
 *       writer ({@code LedgerWriter}), which can never hand out an address twice.
 *   <li>{@code boundary}: {@code Ledger}, the entry point for other features (requests claim and
 *       release through it) and for the REST API and pages; {@code LedgerQueries}, reading the
 *       index in PostgreSQL; the REST resources and webhooks.
 * </ul>
 *
 * <p>Invariants: each Host, MAC, IPv4 and IPv6 appears once in the ledger; an entry is free when it
 * has no {@code User}; Berth's changes touch only one entry's lines and are never force-pushed;
 * while the remote head does not validate, Berth changes nothing and serves the last good state.
 */
package org.berth.ledger;
