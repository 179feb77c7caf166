package org.berth.platform.database;

/** Refused writes, recognised by the name of the constraint PostgreSQL reports. */
public final class Constraints {

  private Constraints() {}

  /**
   * Whether {@code e} was caused by the database refusing a write for {@code constraint}, by the
   * constraint's name as PostgreSQL reports it (never by the wording of a message), wherever it is
   * among the causes.
   */
  public static boolean violated(Throwable e, String constraint) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.hibernate.exception.ConstraintViolationException v
          && constraint.equals(v.getConstraintName())) {
        return true;
      }
      if (t instanceof org.postgresql.util.PSQLException p
          && p.getServerErrorMessage() != null
          && constraint.equals(p.getServerErrorMessage().getConstraint())) {
        return true;
      }
    }
    return false;
  }
}
