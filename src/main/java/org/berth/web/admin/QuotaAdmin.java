package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import org.berth.identity.CurrentUser;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;
import org.berth.requests.boundary.Quotas;
import org.berth.requests.boundary.RequestSettings;
import org.berth.requests.control.QuotaLimits;
import org.berth.web.Messages;

/**
 * Backs {@code admin/quotas.xhtml}: the default quota, everyone's standing (limits against what
 * their live requests use), and setting or clearing one person's override.
 */
@Named
@ViewScoped
public class QuotaAdmin implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject Quotas quotas;
  @Inject RequestSettings settings;
  @Inject CurrentUser currentUser;

  private transient List<Quotas.Standing> standings;
  private String username;
  private String guests;
  private String cores;
  private String memoryMib;
  private String diskGib;

  public QuotaLimits getDefaults() {
    return settings.policy().defaultQuota();
  }

  public List<Quotas.Standing> getStandings() {
    if (standings == null) {
      standings = quotas.all();
    }
    return standings;
  }

  /** Fills the form with someone's limits, to change them. */
  public void edit(String who) {
    Quotas.Standing s = quotas.standing(who);
    username = who;
    guests = String.valueOf(s.limits().guests());
    cores = String.valueOf(s.limits().cores());
    memoryMib = String.valueOf(s.limits().memoryMib());
    diskGib = String.valueOf(s.limits().diskGib());
  }

  public String set() {
    Integer g = whole("guests", guests);
    Integer c = whole("cores", cores);
    Integer m = whole("memoryMib", memoryMib);
    Integer d = whole("diskGib", diskGib);
    if (g == null || c == null || m == null || d == null) {
      return null;
    }
    try {
      Quotas.Standing s =
          quotas.set(
              username == null ? null : username.strip(),
              new QuotaLimits(g, c, m, d),
              currentUser.account().orElseThrow().username());
      Messages.info("quotas.set.done", s.username());
      Messages.keepForRedirect();
      return "/admin/quotas?faces-redirect=true";
    } catch (InvalidInput e) {
      e.fields().forEach((field, rule) -> Messages.field("quota:" + field, rule));
      return null;
    } catch (Refusal e) {
      Messages.error(e.getMessage());
      return null;
    }
  }

  /** The number typed into {@code input}, or null after saying beside it why it is none. */
  private static Integer whole(String input, String text) {
    try {
      int n = Integer.parseInt(text == null ? "" : text.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    Messages.field("quota:" + input, Messages.text("quotas.notANumber"));
    return null;
  }

  public String clear(String who) {
    quotas.clear(who);
    Messages.info("quotas.cleared", who);
    Messages.keepForRedirect();
    return "/admin/quotas?faces-redirect=true";
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getGuests() {
    return guests;
  }

  public void setGuests(String guests) {
    this.guests = guests;
  }

  public String getCores() {
    return cores;
  }

  public void setCores(String cores) {
    this.cores = cores;
  }

  public String getMemoryMib() {
    return memoryMib;
  }

  public void setMemoryMib(String memoryMib) {
    this.memoryMib = memoryMib;
  }

  public String getDiskGib() {
    return diskGib;
  }

  public void setDiskGib(String diskGib) {
    this.diskGib = diskGib;
  }
}
