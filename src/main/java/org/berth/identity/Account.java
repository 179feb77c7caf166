package org.berth.identity;

import java.io.Serializable;
import java.util.Set;

/**
 * A person who can sign in, as the identity source knows them.
 *
 * @param username the stable login name, the key everything else refers to
 * @param displayName how pages greet them
 * @param email where mail for them goes
 * @param roles their roles, see {@link Role}
 */
public record Account(String username, String displayName, String email, Set<String> roles)
    implements Serializable {

  public Account {
    roles = Set.copyOf(roles);
  }

  public boolean isAdmin() {
    return roles.contains(Role.ADMIN);
  }

  /** The role pages show: admin wins over developer. */
  public String mainRole() {
    return isAdmin() ? Role.ADMIN : Role.DEVELOPER;
  }
}
