package org.berth.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.berth.identity.BerthAuthentication;
import org.berth.identity.SignInProblem;

/** Backs {@code sign-in-problem.xhtml}: why a sign-in through the identity provider failed. */
@Named
@RequestScoped
public class SignInProblemPage {

  @Inject FacesContext faces;

  private Optional<SignInProblem> problem;

  public Optional<SignInProblem> problem() {
    if (problem == null) {
      problem =
          BerthAuthentication.takeProblem(
              (HttpServletRequest) faces.getExternalContext().getRequest());
    }
    return problem;
  }

  public String getDetail() {
    return problem().map(SignInProblem::detail).orElse(null);
  }

  public String getReason() {
    return problem().map(p -> p.reason().name()).orElse("NONE");
  }

  /** Whether signing in again can help. */
  public boolean isRetryable() {
    return problem().map(SignInProblem::isRetryable).orElse(true);
  }
}
