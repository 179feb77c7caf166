package org.berth.web.guests;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.berth.identity.CurrentUser;
import org.berth.provisioning.boundary.Consoles;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.control.UnknownRequest;

/**
 * Backs {@code guests/console.xhtml}: a terminal on the guest in the browser, for its owner and
 * admins. The page gets a ticket that its WebSocket hands to {@link Consoles}; someone who may not
 * see the request gets the page's 404, as on the request page.
 */
@Named
@RequestScoped
public class ConsolePage {

  @Inject Requests requests;
  @Inject Consoles consoles;
  @Inject CurrentUser currentUser;

  private String id;
  private RequestView request;
  private String ticket;
  private String refusal;
  private boolean missing;

  public void load() {
    try {
      long requestId = Long.parseLong(id == null ? "" : id.strip());
      request = requests.find(requestId, currentUser.account().orElseThrow());
      try {
        ticket = consoles.ticket(requestId, currentUser.account().orElseThrow());
      } catch (Consoles.ConsoleRefused e) {
        refusal = e.getMessage();
      }
    } catch (NumberFormatException | UnknownRequest e) {
      missing = true;
      FacesContext.getCurrentInstance().getExternalContext().setResponseStatus(404);
    }
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public RequestView getRequest() {
    return request;
  }

  /** The one-time ticket the page's WebSocket sends first; null when the console is refused. */
  public String getTicket() {
    return ticket;
  }

  public String getRefusal() {
    return refusal;
  }

  public boolean isMissing() {
    return missing;
  }
}
