package org.berth.platform.rest;

import jakarta.annotation.Priority;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every JSON request body of the API ({@code JsonObject}, {@code JsonArray}, {@code
 * JsonStructure}, {@code JsonValue} parameters) and refuses, as a 400 {@link MalformedBody}, any
 * body that is not exactly one well-formed JSON value within the API's limits: at most {@link
 * #MAX_BYTES} bytes, valid UTF-8, nested at most {@link #MAX_DEPTH} levels, no key twice in an
 * object, nothing after the value, no number literal longer than {@link #MAX_NUMBER_LENGTH}
 * characters, and of the JSON type the parameter declares. An empty body is refused the same way.
 *
 * <p>It replaces the runtime's own JSON-P reader (it declares the same media types and, being the
 * application's, wins over it), which silently keeps the last of repeated keys, ignores data after
 * the value, replaces invalid UTF-8 and hands a resource whatever JSON type the body happens to be.
 * Depth, keys and numbers are checked with a streaming parser before any tree is built, so a body
 * nested hundreds of thousands deep costs one pass and never a deep recursion.
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, "text/json", MediaType.WILDCARD})
@Priority(Priorities.USER - 100)
public class JsonBodyReader implements MessageBodyReader<JsonValue> {

  /** The largest body read: 1 MiB. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** The deepest nesting of objects and arrays, the outermost counting as 1. */
  public static final int MAX_DEPTH = 32;

  /** The longest number literal, in characters (sign, digits, point and exponent). */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** How much of a body over the limit is read and dropped so that the 400 reaches the client. */
  static final long MAX_DISCARDED = 16L * 1024 * 1024;

  private static final int MAX_KEY_SHOWN = 64;
  private static final int MAX_REASON = 200;
  private static final Pattern UNEXPECTED_CHAR =
      Pattern.compile("Unexpected char ([0-9][0-9,.\u00a0\u202f' ]*[0-9]|[0-9])");

  private final JsonParserFactory parsers = Json.createParserFactory(Map.of());
  private final JsonReaderFactory readers = Json.createReaderFactory(Map.of());

  @Override
  public boolean isReadable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return JsonValue.class.isAssignableFrom(type);
  }

  @Override
  public JsonValue readFrom(
      Class<JsonValue> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, String> headers,
      InputStream body)
      throws IOException {
    long declared = declaredLength(headers);
    if (declared > MAX_BYTES) {
      throw tooLarge(declared <= MAX_DISCARDED ? body : null);
    }
    byte[] bytes = body.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(body);
    }
    String text = utf8(bytes);
    if (isJsonWhitespace(text)) {
      throw new MalformedBody("The body must be " + describe(type));
    }
    check(text);
    JsonValue value;
    try (JsonReader reader = readers.createReader(new StringReader(text))) {
      value = reader.readValue();
    } catch (JsonException e) {
      throw notJson(e);
    }
    if (!type.isInstance(value)) {
      throw new MalformedBody("The body must be " + describe(type));
    }
    return value;
  }

  /** Content-Length as sent, or -1 when there is none or it is not a number. */
  private static long declaredLength(MultivaluedMap<String, String> headers) {
    String length = headers == null ? null : headers.getFirst(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedBody("The body is not valid UTF-8");
    }
  }

  /**
   * One streaming pass over the text: depth, repeated keys and number literals, then that nothing
   * but whitespace follows the first value. Never recursive and never deeper than {@link
   * #MAX_DEPTH} in its own state.
   */
  private void check(String text) {
    try (JsonParser parser = parsers.createParser(new StringReader(text))) {
      Deque<Set<String>> keys = new ArrayDeque<>();
      do {
        switch (parser.next()) {
          case START_OBJECT, START_ARRAY -> {
            if (keys.size() == MAX_DEPTH) {
              throw new MalformedBody("The body is nested deeper than " + MAX_DEPTH + " levels");
            }
            keys.push(new HashSet<>());
          }
          case END_OBJECT, END_ARRAY -> keys.pop();
          case KEY_NAME -> {
            String key = parser.getString();
            if (!keys.element().add(key)) {
              throw new MalformedBody("The body has the key \"" + shown(key) + "\" twice");
            }
          }
          case VALUE_NUMBER -> checkNumber(parser.getString());
          default -> {
            // strings, true, false and null need no check beyond the parser's
          }
        }
      } while (!keys.isEmpty());
      if (hasMore(parser)) {
        throw new MalformedBody("The body has data after its JSON value");
      }
    } catch (JsonException e) {
      throw notJson(e);
    } catch (java.util.NoSuchElementException e) {
      throw new MalformedBody("The body is not valid JSON: it ends before its value is complete");
    }
  }

  private static void checkNumber(String literal) {
    if (literal.length() > MAX_NUMBER_LENGTH) {
      throw new MalformedBody("A number in the body is too long");
    }
    try {
      new BigDecimal(literal);
    } catch (NumberFormatException | ArithmeticException e) {
      // An exponent beyond what a number can hold, such as 1e-99999999999.
      throw new MalformedBody("A number in the body is out of range");
    }
  }

  /** Whether anything follows the value; the parser reports unexpected text as an error. */
  private static boolean hasMore(JsonParser parser) {
    try {
      return parser.hasNext();
    } catch (JsonException e) {
      return true;
    }
  }

  /**
   * The parser's reason, shortened, with the line and column where the text stops being JSON. A
   * body that ends too early says so: the parser's position at the end is not one a person can use.
   */
  private static MalformedBody notJson(JsonException e) {
    String reason = e.getMessage() == null ? "unreadable" : e.getMessage();
    if (reason.contains("token=EOF") || reason.matches("(?s)Unexpected char -1\\b.*")) {
      return new MalformedBody("The body is not valid JSON: it ends before its value is complete");
    }
    reason = reason.replaceAll("\\s*at \\(line no=[^)]*\\)", "").strip();
    Matcher character = UNEXPECTED_CHAR.matcher(reason);
    if (character.lookingAt()) {
      int code = Integer.parseInt(character.group(1).replaceAll("\\D", ""));
      reason =
          "Unexpected character "
              + (code >= 0x21 && code < 0x7f
                  ? "'" + (char) code + "'"
                  : String.format("U+%04X", code))
              + reason.substring(character.end());
    }
    if (reason.length() > MAX_REASON) {
      reason = reason.substring(0, MAX_REASON) + "…";
    }
    if (e instanceof JsonParsingException parsing && parsing.getLocation() != null) {
      JsonLocation at = parsing.getLocation();
      reason += " (line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ")";
    }
    return new MalformedBody("The body is not valid JSON: " + reason);
  }

  /**
   * The refusal of a body over the limit, after reading and dropping the rest of it (up to {@link
   * #MAX_DISCARDED} bytes in all). A server that answers and closes while the client is still
   * sending makes the client's network stack drop the answer; a client then sees a broken
   * connection instead of the 400. A body larger still is not read at all.
   */
  private static MalformedBody tooLarge(InputStream rest) {
    if (rest != null) {
      try {
        byte[] sink = new byte[8192];
        long dropped = 0;
        int n;
        while (dropped < MAX_DISCARDED && (n = rest.read(sink)) >= 0) {
          dropped += n;
        }
      } catch (IOException e) {
        // The client went away; the refusal stands.
      }
    }
    return new MalformedBody("The body is larger than 1 MiB");
  }

  private static boolean isJsonWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  private static String shown(String key) {
    return key.length() > MAX_KEY_SHOWN ? key.substring(0, MAX_KEY_SHOWN) + "…" : key;
  }

  private static String describe(Class<?> type) {
    if (JsonObject.class.isAssignableFrom(type)) {
      return "a JSON object";
    }
    if (JsonArray.class.isAssignableFrom(type)) {
      return "a JSON array";
    }
    if (JsonStructure.class.isAssignableFrom(type)) {
      return "a JSON object or array";
    }
    if (JsonString.class.isAssignableFrom(type)) {
      return "a JSON string";
    }
    if (JsonNumber.class.isAssignableFrom(type)) {
      return "a JSON number";
    }
    return "a JSON value";
  }
}
