package org.berth.identity;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The caller of the current request, for pages ({@code #{currentUser}}) and boundaries. */
@Named
@RequestScoped
public class CurrentUser {

  @Inject SecurityContext security;
  @Inject HttpServletRequest request;
  @Inject DemoUsers users;

  private Account account;

  /** The signed-in account, or empty for an anonymous caller. */
  public Optional<Account> account() {
    if (account == null) {
      Principal principal = security.getCallerPrincipal();
      if (principal == null) {
        return Optional.empty();
      }
      HttpSession session = request.getSession(false);
      if (session != null
          && session.getAttribute(BerthAuthentication.SESSION_ACCOUNT) instanceof Account a
          && a.username().equals(principal.getName())) {
        account = a;
      } else {
        account =
            users
                .find(principal.getName())
                .orElseGet(
                    () -> new Account(principal.getName(), principal.getName(), null, roles()));
      }
    }
    return Optional.of(account);
  }

  public boolean isSignedIn() {
    return account().isPresent();
  }

  public String getUsername() {
    return account().map(Account::username).orElse("");
  }

  public String getDisplayName() {
    return account().map(Account::displayName).orElse("");
  }

  public String getMainRole() {
    return account().map(Account::mainRole).orElse("");
  }

  public boolean isAdmin() {
    return security.isCallerInRole(Role.ADMIN);
  }

  /** The caller's roles as the container sees them. */
  public Set<String> roles() {
    Set<String> roles = new TreeSet<>();
    for (String role : new String[] {Role.DEVELOPER, Role.ADMIN}) {
      if (security.isCallerInRole(role)) {
        roles.add(role);
      }
    }
    return roles;
  }

  /** The built-in login is a demo; pages say so wherever it shows. */
  public boolean isDemoLogin() {
    return true;
  }
}
