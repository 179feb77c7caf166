package org.berth.requests.control;

import org.berth.platform.refusal.Refusal;

/** A name another live guest already has. */
public class NameTaken extends Refusal {
  private static final long serialVersionUID = 1L;

  public NameTaken(String name) {
    super(
        Kind.CONFLICT,
        "name_taken",
        "name",
        "'" + name + "' is already used by another guest; choose another name");
  }
}
