/**
 * Berth's PostgreSQL database: a configured server ({@code berth.db.url}) or, when none is
 * configured, an embedded PostgreSQL whose data lives in the data directory.
 *
 * <p>{@link org.berth.platform.database.DatabaseServer} is the one place that knows where the
 * database is. The container's connection pool reaches it through {@link
 * org.berth.platform.database.BerthDataSource}; Flyway migrates it at start-up through {@link
 * org.berth.platform.database.DatabaseMigration}, which also tells readiness whether the schema is
 * usable. Nothing else opens connections of its own.
 */
package org.berth.platform.database;
