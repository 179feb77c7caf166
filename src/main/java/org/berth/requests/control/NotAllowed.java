package org.berth.requests.control;

import org.berth.platform.rest.ApiException;

/** The caller's role does not allow this action. */
public class NotAllowed extends ApiException {
  private static final long serialVersionUID = 1L;

  public NotAllowed(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 403;
  }

  @Override
  public String code() {
    return "forbidden";
  }
}
