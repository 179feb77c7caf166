package org.berth.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.berth.hypervisor.setup.Hypervisors;

/**
 * What every page says about the instance ({@code #{deployment}}): whether guests are simulated.
 */
@Named
@ApplicationScoped
public class Deployment {

  @Inject Hypervisors hypervisors;

  public boolean isSimulated() {
    return hypervisors.isSimulated();
  }
}
