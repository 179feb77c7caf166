package org.berth.web;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import org.berth.identity.CurrentUser;
import org.berth.identity.SshKeys;
import org.berth.platform.rest.InvalidInput;

/**
 * Backs {@code profile.xhtml}: the SSH public keys the caller keeps, to choose from in requests.
 */
@Named
@ViewScoped
public class Profile implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject SshKeys sshKeys;
  @Inject CurrentUser currentUser;

  private transient List<SshKeys.Saved> keys;
  private String label;
  private String key;

  public List<SshKeys.Saved> getKeys() {
    if (keys == null) {
      keys = sshKeys.of(username());
    }
    return keys;
  }

  public String add() {
    try {
      SshKeys.Saved saved = sshKeys.add(username(), label, key);
      Messages.info("profile.added.done", saved.label(), saved.fingerprint());
      Messages.keepForRedirect();
      return "/profile?faces-redirect=true";
    } catch (InvalidInput e) {
      e.fields().forEach((field, rule) -> Messages.field("addKey:" + field, rule));
      return null;
    }
  }

  public String remove(long id) {
    if (sshKeys.remove(username(), id)) {
      Messages.info("profile.removed");
    }
    Messages.keepForRedirect();
    return "/profile?faces-redirect=true";
  }

  private String username() {
    return currentUser.account().orElseThrow().username();
  }

  public String getLabel() {
    return label;
  }

  public void setLabel(String label) {
    this.label = label;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
