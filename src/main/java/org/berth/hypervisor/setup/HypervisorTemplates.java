package org.berth.hypervisor.setup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.Hypervisor;
import org.berth.requests.boundary.TemplateReferences;
import org.berth.requests.entity.GuestKind;

/** Template references as this instance's hypervisor takes them. */
@ApplicationScoped
public class HypervisorTemplates implements TemplateReferences {

  @Inject Hypervisor hypervisor;

  @Override
  public Optional<String> problem(GuestKind kind, String ref) {
    GuestType type = kind == GuestKind.VM ? GuestType.VM : GuestType.CONTAINER;
    return hypervisor.templateProblem(type, ref);
  }
}
