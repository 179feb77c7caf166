package org.berth.identity;

import org.berth.platform.refusal.InvalidInput;

/** A key that is in the person's profile already (by fingerprint), under the label it has there. */
public class KeyAlreadySaved extends InvalidInput {
  private static final long serialVersionUID = 1L;

  /**
   * @param label its label in the profile, or null when that is not known
   */
  public KeyAlreadySaved(String label) {
    super(
        "key",
        label == null
            ? "is already in your profile"
            : "is already in your profile as '" + label + "'");
  }
}
