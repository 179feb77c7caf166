package org.berth.identity;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
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
  @Inject IdentitySettings settings;

  private Account account;

  /** The signed-in account, or empty for an anonymous caller. */
  public Optional<Account> account() {
    if (account == null) {
      Principal principal = security.getCallerPrincipal();
      if (principal == null) {
        return Optional.empty();
      }
      account =
          request.getAttribute(BerthAuthentication.REQUEST_ACCOUNT) instanceof Account a
                  && a.username().equals(principal.getName())
              ? a
              : new Account(principal.getName(), principal.getName(), null, roles());
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

  /** Whether this API call came with a personal API token. */
  public boolean isPersonalToken() {
    return Boolean.TRUE.equals(request.getAttribute(BerthAuthentication.REQUEST_PERSONAL_TOKEN));
  }

  /** Whether the demo's built-in accounts are on; pages say so wherever they show. */
  public boolean isDemoLogin() {
    return settings.demoAccounts();
  }

  /** Whether pages sign in through the identity provider rather than the demo's form. */
  public boolean isSingleSignOn() {
    return settings.oidc().isPresent();
  }
}
