package org.berth.platform.rest;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.AnnotatedElement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Enforces {@code @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll} on resources: 401 for a
 * caller who has not signed in, 403 for one without the role. The method's annotation wins over the
 * class's; a resource with none requires only a signed-in caller.
 */
@Provider
public class RoleCheck implements DynamicFeature {

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    AnnotatedElement method = resource.getResourceMethod();
    AnnotatedElement type = resource.getResourceClass();
    context.register(new Filter(rule(method).orElse(rule(type).orElse(Rule.signedIn()))));
  }

  private static Optional<Rule> rule(AnnotatedElement element) {
    if (element.isAnnotationPresent(DenyAll.class)) {
      return Optional.of(new Rule(true, List.of(), false));
    }
    if (element.isAnnotationPresent(PermitAll.class)) {
      return Optional.of(new Rule(false, List.of(), true));
    }
    RolesAllowed roles = element.getAnnotation(RolesAllowed.class);
    return roles == null
        ? Optional.empty()
        : Optional.of(new Rule(false, Arrays.asList(roles.value()), false));
  }

  record Rule(boolean denyAll, List<String> roles, boolean permitAll) {
    static Rule signedIn() {
      return new Rule(false, List.of(), false);
    }
  }

  static final class Filter implements ContainerRequestFilter {
    private final Rule rule;

    Filter(Rule rule) {
      this.rule = rule;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      if (rule.permitAll()) {
        return;
      }
      var security = request.getSecurityContext();
      if (security == null || security.getUserPrincipal() == null) {
        throw new NotAuthorizedException("Bearer realm=\"Berth\"");
      }
      if (rule.denyAll()
          || (!rule.roles().isEmpty() && rule.roles().stream().noneMatch(security::isUserInRole))) {
        throw new ForbiddenException();
      }
    }
  }
}
