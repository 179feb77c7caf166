package org.berth.platform.refusal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Request fields that break their rules: 400, naming each field and its rule. The message lists
 * them as {@code field: rule; field: rule}, and {@link #fields()} keeps them apart for pages and
 * for the API's {@code fields} object.
 */
public class InvalidInput extends Refusal {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, String> fields;

  public InvalidInput(String field, String rule) {
    this(Map.of(field, rule));
  }

  /** Several fields at once, in the order given. */
  public InvalidInput(Map<String, String> fields) {
    super(
        Kind.INVALID,
        "invalid_input",
        fields.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining("; ")));
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("an invalid input names at least one field");
    }
    this.fields = new LinkedHashMap<>(fields);
  }

  /**
   * Runs {@code read}, turning an {@link IllegalArgumentException} into a refusal of {@code field}.
   */
  public static <T> T check(String field, Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidInput(field, e.getMessage());
    }
  }

  /** Field name to the rule it breaks, in the order they were found. */
  public Map<String, String> fields() {
    return fields == null ? Map.of() : java.util.Collections.unmodifiableMap(fields);
  }
}
