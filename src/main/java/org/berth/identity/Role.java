package org.berth.identity;

/** Berth's roles; the names are those of the security constraints and the identity provider. */
public final class Role {
  public static final String DEVELOPER = "developer";
  public static final String ADMIN = "admin";

  private Role() {}
}
