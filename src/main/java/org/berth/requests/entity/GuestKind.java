package org.berth.requests.entity;

import java.util.Locale;

/** What a request asks for: a virtual machine or a system container. */
public enum GuestKind {
  VM,
  CONTAINER;

  /** The API's name: {@code vm} or {@code container}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String label() {
    return this == VM ? "VM" : "Container";
  }

  /** Reads the API's name; refuses anything else. */
  public static GuestKind fromApi(String text) {
    if ("vm".equals(text)) {
      return VM;
    }
    if ("container".equals(text)) {
      return CONTAINER;
    }
    throw new IllegalArgumentException("must be vm or container");
  }
}
