package org.berth.platform.rest;

import org.berth.platform.refusal.Refusal;

/**
 * A request body that is not the JSON the endpoint reads: too large, not UTF-8, not JSON, nested
 * too deep, with a repeated key, trailing data, an overlong number, or of the wrong JSON type. 400
 * {@code invalid_json}; the message says what is wrong. Nothing of the request has been acted on.
 */
public class MalformedBody extends Refusal {
  private static final long serialVersionUID = 1L;

  public MalformedBody(String message) {
    super(Kind.INVALID, "invalid_json", message);
  }
}
