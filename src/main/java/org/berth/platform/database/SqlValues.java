package org.berth.platform.database;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Values read by native queries, whose Java type depends on the driver and Hibernate's mapping. */
public final class SqlValues {

  private SqlValues() {}

  /** A {@code timestamptz} column as an instant; null stays null. */
  public static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof Instant i) {
      return i;
    }
    throw new IllegalStateException("unexpected time value " + value.getClass());
  }

  /** A {@code timestamptz} column in UTC; null stays null. */
  public static OffsetDateTime utc(Object value) {
    Instant i = instant(value);
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }
}
