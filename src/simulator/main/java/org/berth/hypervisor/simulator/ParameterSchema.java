package org.berth.hypervisor.simulator;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters one API method accepts, checked the way Proxmox's JSON schema checks them: every
 * parameter must be declared, required ones present, and each value of its type and format. All
 * problems are reported at once, by parameter.
 */
final class ParameterSchema {

  /** Checks one value; throws {@link IllegalArgumentException} with Proxmox's wording. */
  @FunctionalInterface
  interface Check {
    void verify(String value);
  }

  static final Check STRING = v -> {};
  static final Check BOOLEAN = Formats::bool;

  private static final Pattern INDEXED = Pattern.compile("([a-z]+)(0|[1-9]\\d*)");

  private record Entry(boolean required, int indexes, Check check) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  ParameterSchema required(String name, Check check) {
    entries.put(name, new Entry(true, 0, check));
    return this;
  }

  ParameterSchema optional(String name, Check check) {
    entries.put(name, new Entry(false, 0, check));
    return this;
  }

  /** Parameters {@code prefix0} to {@code prefix<count-1>}, such as {@code net[n]}. */
  ParameterSchema indexed(String prefix, int count, Check check) {
    entries.put(prefix + "[n]", new Entry(false, count, check));
    return this;
  }

  /** The problems with these parameters, by name; empty when they are acceptable. */
  Map<String, String> problems(Map<String, String> parameters) {
    Map<String, String> problems = new LinkedHashMap<>();
    parameters.forEach(
        (name, value) -> {
          Entry entry = entry(name);
          if (entry == null) {
            problems.put(
                name,
                "property is not defined in schema and the schema does not allow additional"
                    + " properties");
            return;
          }
          try {
            entry.check.verify(value);
          } catch (IllegalArgumentException e) {
            problems.put(name, e.getMessage());
          }
        });
    entries.forEach(
        (name, entry) -> {
          if (entry.required && !parameters.containsKey(name)) {
            problems.put(name, "property is missing and it is not optional");
          }
        });
    return problems;
  }

  private Entry entry(String name) {
    Entry plain = entries.get(name);
    if (plain != null && plain.indexes == 0) {
      return plain;
    }
    Matcher m = INDEXED.matcher(name);
    if (m.matches()) {
      Entry indexed = entries.get(m.group(1) + "[n]");
      if (indexed != null && Integer.parseInt(m.group(2)) < indexed.indexes) {
        return indexed;
      }
    }
    return null;
  }

  static Check integer(long min, long max) {
    return v -> Formats.integer(v, min, max);
  }

  static Check maxLength(int max) {
    return v -> {
      if (v.length() > max) {
        throw new IllegalArgumentException("value may only be " + max + " characters long");
      }
    };
  }

  static Check minLength(int min) {
    return v -> {
      if (v.length() < min) {
        throw new IllegalArgumentException("value must be at least " + min + " characters long");
      }
    };
  }

  static Check oneOf(String... values) {
    return v -> {
      if (!Arrays.asList(values).contains(v)) {
        throw new IllegalArgumentException(
            "value '"
                + v
                + "' does not have a value in the enumeration '"
                + String.join(", ", values)
                + "'");
      }
    };
  }

  /** A value with a registered format: Proxmox prefixes those problems with "invalid format". */
  static Check format(Consumer<String> parser) {
    return v -> {
      try {
        parser.accept(v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid format - " + e.getMessage());
      }
    };
  }
}
