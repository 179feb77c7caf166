package org.berth.requests.control;

import org.berth.platform.rest.ApiException;

/** A name another live guest already has. */
public class NameTaken extends ApiException {
  private static final long serialVersionUID = 1L;

  public NameTaken(String name) {
    super("name", "'" + name + "' is already used by another guest; choose another name");
  }

  @Override
  public int status() {
    return 409;
  }

  @Override
  public String code() {
    return "name_taken";
  }
}
