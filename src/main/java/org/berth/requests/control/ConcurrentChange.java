package org.berth.requests.control;

import org.berth.platform.rest.ApiException;

/** Someone else changed the request between reading and writing it. */
public class ConcurrentChange extends ApiException {
  private static final long serialVersionUID = 1L;

  public ConcurrentChange(long id) {
    super(
        "Request " + id + " was changed by someone else at the same time; reload it and try again");
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String code() {
    return "concurrent_change";
  }
}
