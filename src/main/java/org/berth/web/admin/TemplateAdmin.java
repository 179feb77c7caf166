package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import org.berth.platform.refusal.Refusal;
import org.berth.requests.boundary.TemplateView;
import org.berth.requests.boundary.Templates;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.TemplateSpec;
import org.berth.web.FieldProblems;
import org.berth.web.Messages;

/**
 * Backs {@code admin/templates.xhtml}: the templates, adding one, changing one (all but its name),
 * and taking one out of or back into the choice for new requests. The inputs have the ids of the
 * {@link TemplateSpec} fields, so each broken rule shows beside its input.
 */
@Named
@ViewScoped
public class TemplateAdmin implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject Templates templates;

  private transient List<TemplateView> all;
  private Long editing;
  private String name;
  private String kind = "vm";
  private String hypervisorRef;
  private String osUser;
  private String description;
  private String defaultCores;
  private String maxCores;
  private String defaultMemoryMiB;
  private String maxMemoryMiB;
  private String defaultDiskGiB;
  private String maxDiskGiB;
  private boolean fullClone = true;
  private String maxSnapshots = String.valueOf(TemplateSpec.DEFAULT_SNAPSHOTS);

  public List<TemplateView> getAll() {
    if (all == null) {
      all = templates.all();
    }
    return all;
  }

  /** Fills the form with a template, to change it. */
  public void edit(long id) {
    templates
        .find(id)
        .ifPresent(
            t -> {
              TemplateSpec s = t.spec();
              editing = id;
              name = s.name();
              kind = s.kind().apiName();
              hypervisorRef = s.hypervisorRef();
              osUser = s.osUser();
              description = s.description();
              defaultCores = String.valueOf(s.defaultCores());
              maxCores = String.valueOf(s.maxCores());
              defaultMemoryMiB = String.valueOf(s.defaultMemoryMib());
              maxMemoryMiB = String.valueOf(s.maxMemoryMib());
              defaultDiskGiB = String.valueOf(s.defaultDiskGib());
              maxDiskGiB = String.valueOf(s.maxDiskGib());
              fullClone = s.fullClone();
              maxSnapshots = String.valueOf(s.maxSnapshots());
            });
  }

  /** Empties the form, to add a template. */
  public void startNew() {
    editing = null;
    name = null;
    kind = "vm";
    hypervisorRef = null;
    osUser = null;
    description = null;
    defaultCores = null;
    maxCores = null;
    defaultMemoryMiB = null;
    maxMemoryMiB = null;
    defaultDiskGiB = null;
    maxDiskGiB = null;
    fullClone = true;
    maxSnapshots = String.valueOf(TemplateSpec.DEFAULT_SNAPSHOTS);
  }

  public String save() {
    FieldProblems problems = new FieldProblems();
    String required = Messages.text("templates.required");
    try {
      GuestKind k;
      try {
        k = GuestKind.fromApi(kind);
      } catch (IllegalArgumentException e) {
        k = null;
      }
      TemplateSpec spec =
          new TemplateSpec(
              name == null ? null : name.strip(),
              k,
              hypervisorRef == null ? null : hypervisorRef.strip(),
              osUser == null ? null : osUser.strip(),
              description,
              problems.required("defaultCores", defaultCores, required),
              problems.required("maxCores", maxCores, required),
              problems.required("defaultMemoryMiB", defaultMemoryMiB, required),
              problems.required("maxMemoryMiB", maxMemoryMiB, required),
              problems.required("defaultDiskGiB", defaultDiskGiB, required),
              problems.required("maxDiskGiB", maxDiskGiB, required),
              fullClone,
              problems.required("maxSnapshots", maxSnapshots, required));
      problems.refuseNotNumbers();
      TemplateView saved = editing == null ? templates.add(spec) : templates.update(editing, spec);
      Messages.info(editing == null ? "templates.added" : "templates.updated", saved.name());
      Messages.keepForRedirect();
      return "/admin/templates?faces-redirect=true";
    } catch (Refusal e) {
      problems.file(e, FieldProblems.Inputs.sameNames());
      problems.showAll("template");
      return null;
    }
  }

  public String activate(long id, boolean active) {
    try {
      TemplateView t = templates.activate(id, active);
      Messages.info(active ? "templates.activated" : "templates.deactivated", t.name());
      Messages.keepForRedirect();
      return "/admin/templates?faces-redirect=true";
    } catch (Refusal e) {
      Messages.error(e.getMessage());
      return null;
    }
  }

  public boolean isEditing() {
    return editing != null;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getHypervisorRef() {
    return hypervisorRef;
  }

  public void setHypervisorRef(String hypervisorRef) {
    this.hypervisorRef = hypervisorRef;
  }

  public String getOsUser() {
    return osUser;
  }

  public void setOsUser(String osUser) {
    this.osUser = osUser;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getDefaultCores() {
    return defaultCores;
  }

  public void setDefaultCores(String defaultCores) {
    this.defaultCores = defaultCores;
  }

  public String getMaxCores() {
    return maxCores;
  }

  public void setMaxCores(String maxCores) {
    this.maxCores = maxCores;
  }

  public String getDefaultMemoryMiB() {
    return defaultMemoryMiB;
  }

  public void setDefaultMemoryMiB(String defaultMemoryMiB) {
    this.defaultMemoryMiB = defaultMemoryMiB;
  }

  public String getMaxMemoryMiB() {
    return maxMemoryMiB;
  }

  public void setMaxMemoryMiB(String maxMemoryMiB) {
    this.maxMemoryMiB = maxMemoryMiB;
  }

  public String getDefaultDiskGiB() {
    return defaultDiskGiB;
  }

  public void setDefaultDiskGiB(String defaultDiskGiB) {
    this.defaultDiskGiB = defaultDiskGiB;
  }

  public boolean isFullClone() {
    return fullClone;
  }

  public void setFullClone(boolean fullClone) {
    this.fullClone = fullClone;
  }

  public String getMaxDiskGiB() {
    return maxDiskGiB;
  }

  public void setMaxDiskGiB(String maxDiskGiB) {
    this.maxDiskGiB = maxDiskGiB;
  }

  public String getMaxSnapshots() {
    return maxSnapshots;
  }

  public void setMaxSnapshots(String maxSnapshots) {
    this.maxSnapshots = maxSnapshots;
  }
}
