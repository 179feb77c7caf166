package org.berth.requests.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.berth.requests.control.RequestPolicy;
import org.eclipse.microprofile.config.Config;

/** The request policy of this instance, read once at start-up. */
@ApplicationScoped
public class RequestSettings {

  @Inject Config config;

  private RequestPolicy policy;

  /** Reads the settings at start-up, so that one out of its range stops the start by name. */
  void atStartup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // creating the bean reads them
  }

  @PostConstruct
  void read() {
    policy = RequestPolicy.from(config);
  }

  public RequestPolicy policy() {
    return policy;
  }
}
