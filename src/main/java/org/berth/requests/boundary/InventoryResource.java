package org.berth.requests.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.control.AccessPoints;
import org.berth.requests.control.NotAllowed;
import org.berth.requests.entity.RequestState;

/**
 * {@code GET /api/inventory}: the caller's READY guests as Ansible's dynamic inventory ({@link
 * AnsibleInventory}); {@code ?all=true} lists everyone's, for admins only (403 for others). {@code
 * deploy/ansible/berth_inventory.py} reads it for {@code ansible-inventory -i}.
 */
@Path("inventory")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class InventoryResource {

  private static final int PAGE = 500;

  @Inject Requests requests;
  @Inject CurrentUser currentUser;
  @Inject AccessPoints accessPoints;

  @GET
  public JsonObject inventory(@QueryParam("all") @DefaultValue("false") String all) {
    Account caller = currentUser.account().orElseThrow();
    boolean everyone =
        InvalidInput.check(
            "all",
            () -> {
              if (!all.equals("true") && !all.equals("false")) {
                throw new IllegalArgumentException("must be true or false");
              }
              return all.equals("true");
            });
    if (everyone && !caller.isAdmin()) {
      throw new NotAllowed("only admins may list everyone's guests");
    }
    RequestQueries.Filter filter =
        new RequestQueries.Filter(
            everyone ? null : caller.username(), Set.of(RequestState.READY), null, "id", false);
    List<RequestView> ready = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      RequestQueries.Page page = requests.list(filter, caller, offset, PAGE);
      ready.addAll(page.requests());
      if (page.requests().size() < PAGE) {
        break;
      }
    }
    return AnsibleInventory.of(ready, accessPoints);
  }
}
