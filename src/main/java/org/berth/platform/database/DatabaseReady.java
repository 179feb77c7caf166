package org.berth.platform.database;

/**
 * A CDI event: the schema is migrated and the database can be used. Fired once per start-up, from
 * the thread that finished the migration; observers do quick set-up work such as seeding data.
 */
public record DatabaseReady(String detail) {}
