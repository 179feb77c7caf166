package org.berth.platform.rest;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.berth.platform.refusal.InvalidInput;

/**
 * Reads the fields of a JSON request body by type, and collects every field of the wrong type
 * instead of stopping at the first, so that one answer names them all. A field that is absent or
 * {@code null} reads as null; whether it must be there is the reader's to say ({@link
 * #requiredText}) or the domain's. {@link JsonBodyReader} has already checked the body's shape
 * (size, depth, repeated keys) before any field is read.
 */
public final class JsonFields {

  private final JsonObject body;
  private final String prefix;
  private final Map<String, String> wrong;

  private JsonFields(JsonObject body, String prefix, Map<String, String> wrong) {
    this.body = body == null ? JsonValue.EMPTY_JSON_OBJECT : body;
    this.prefix = prefix;
    this.wrong = wrong;
  }

  /** The fields of {@code body}; a missing body has none. */
  public static JsonFields of(JsonObject body) {
    return new JsonFields(body, "", new LinkedHashMap<>());
  }

  /** The fields of {@code nested}, named {@code prefix.field}, their problems kept with these. */
  public JsonFields within(JsonObject nested, String name) {
    return new JsonFields(nested, prefix + name + ".", wrong);
  }

  /** A string field; null when absent. */
  public String text(String field) {
    JsonValue v = body.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    refuse(field, "must be a string");
    return null;
  }

  /** A string field that must be there. */
  public String requiredText(String field) {
    JsonValue v = body.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      refuse(field, "is required");
      return null;
    }
    return text(field);
  }

  /** A whole number; null when absent. */
  public Long whole(String field) {
    return whole(field, "must be a whole number");
  }

  /**
   * A whole number, refused with {@code rule} when it is another type or a fraction; null when
   * absent. One too large for a long reads as the largest (or smallest) long, so that it fails
   * whatever range the domain sets.
   */
  public Long whole(String field, String rule) {
    JsonValue v = body.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
      refuse(field, rule);
      return null;
    }
    BigInteger big = n.bigIntegerValue();
    if (big.bitLength() > 62) {
      return big.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return big.longValue();
  }

  /**
   * A list of strings, refused with {@code rule} when it is not a list; each element that is not a
   * string is refused as {@code field[i]} and reads as an empty string, so positions stay. Null
   * when absent.
   */
  public List<String> strings(String field, String rule) {
    JsonValue v = body.get(field);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (!(v instanceof JsonArray array)) {
      refuse(field, rule);
      return null;
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (array.get(i) instanceof JsonString s) {
        values.add(s.getString());
      } else {
        refuse(field + "[" + i + "]", "must be a string");
        values.add("");
      }
    }
    return values;
  }

  /** Records that {@code field} breaks {@code rule}. */
  public void refuse(String field, String rule) {
    wrong.put(prefix + field, rule);
  }

  /** The fields read so far that broke their rule, by name; the domain may add its own. */
  public Map<String, String> problems() {
    return wrong;
  }

  /**
   * Refuses the body when any field broke its rule.
   *
   * @throws InvalidInput naming every such field
   */
  public void check() {
    if (!wrong.isEmpty()) {
      throw new InvalidInput(new LinkedHashMap<>(wrong));
    }
  }
}
