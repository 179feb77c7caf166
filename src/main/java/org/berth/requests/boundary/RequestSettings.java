package org.berth.requests.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.berth.requests.control.RequestPolicy;
import org.eclipse.microprofile.config.Config;

/** The request policy of this instance, read once at start-up. */
@ApplicationScoped
public class RequestSettings {

  @Inject Config config;

  private RequestPolicy policy;

  @PostConstruct
  void read() {
    policy = RequestPolicy.from(config);
  }

  public RequestPolicy policy() {
    return policy;
  }
}
