package org.berth.identity;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/me}: who the API thinks the caller is. */
@Path("me")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

  /** The caller as the API reads back. */
  public record Me(String username, String displayName, List<String> roles) {}

  @Inject CurrentUser currentUser;

  /** The caller's user name, display name and roles. */
  @GET
  public Me me() {
    Account account = currentUser.account().orElseThrow();
    return new Me(account.username(), account.displayName(), List.copyOf(currentUser.roles()));
  }
}
