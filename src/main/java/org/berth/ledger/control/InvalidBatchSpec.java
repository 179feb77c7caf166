package org.berth.ledger.control;

import java.util.Map;
import org.berth.platform.refusal.Refusal;

/** A batch description with fields that break their rules; each field is named with its rule. */
public class InvalidBatchSpec extends Refusal {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, String> fields;

  public InvalidBatchSpec(Map<String, String> fields) {
    super(
        Kind.INVALID,
        "invalid_batch",
        fields.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid batch"));
    this.fields = Map.copyOf(fields);
  }

  /** Field name to the rule it breaks. */
  public Map<String, String> fields() {
    return fields;
  }
}
