package org.berth.platform.value;

import jakarta.persistence.AttributeConverter;
import java.util.function.Function;

/**
 * Stores a value type as its canonical text ({@code toString}), and reads a text column written by
 * hand or by an older version in any spelling the type accepts.
 */
abstract class TextColumn<T> implements AttributeConverter<T, String> {

  private final Function<String, T> parse;

  TextColumn(Function<String, T> parse) {
    this.parse = parse;
  }

  @Override
  public String convertToDatabaseColumn(T value) {
    return value == null ? null : value.toString();
  }

  @Override
  public T convertToEntityAttribute(String text) {
    return text == null ? null : parse.apply(text);
  }
}
