package org.berth.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.berth.platform.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyReaderTest {

  private final JsonBodyReader reader = new JsonBodyReader();

  @Test
  void readsAnObjectWithNestedValues() {
    JsonObject body =
        read(JsonObject.class, "{\"name\":\"web\",\"cores\":2,\"network\":{\"mode\":\"nat\"}}");

    assertThat(body.getString("name")).isEqualTo("web");
    assertThat(body.getInt("cores")).isEqualTo(2);
    assertThat(body.getJsonObject("network").getString("mode")).isEqualTo("nat");
  }

  @Test
  void readsWhateverJsonTypeTheParameterDeclares() {
    assertThat(read(JsonArray.class, " [1, 2] \n")).hasSize(2);
    assertThat(read(JsonStructure.class, "[]")).isInstanceOf(JsonArray.class);
    assertThat(read(JsonValue.class, "null")).isEqualTo(JsonValue.NULL);
    assertThat(read(JsonValue.class, "\"x\"").toString()).isEqualTo("\"x\"");
  }

  @Test
  void takesNestingUpToTheLimitAndNumbersUpToTheirLength() {
    String deepest = "[".repeat(JsonBodyReader.MAX_DEPTH) + "]".repeat(JsonBodyReader.MAX_DEPTH);
    String longest = "1".repeat(JsonBodyReader.MAX_NUMBER_LENGTH);

    assertThat(read(JsonArray.class, deepest)).hasSize(1);
    assertThat(read(JsonObject.class, "{\"n\":" + longest + "}").getJsonNumber("n").toString())
        .isEqualTo(longest);
  }

  @Test
  void takesTheSameKeyInDifferentObjects() {
    JsonObject body = read(JsonObject.class, "{\"a\":{\"x\":1},\"b\":{\"x\":2},\"c\":[{\"x\":3}]}");

    assertThat(body.getJsonObject("b").getInt("x")).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "null", "\"x\"", "1", "true", "", "  \r\n\t"})
  void refusesABodyThatIsNotAnObjectWhereAnObjectIsRead(String body) {
    assertRefused(JsonObject.class, body, "The body must be a JSON object");
  }

  @Test
  void refusesAnObjectWhereAnArrayIsRead() {
    assertRefused(JsonArray.class, "{}", "The body must be a JSON array");
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String tooDeep =
        "{\"a\":"
            + "[".repeat(JsonBodyReader.MAX_DEPTH)
            + "]".repeat(JsonBodyReader.MAX_DEPTH)
            + "}";

    assertRefused(JsonObject.class, tooDeep, "The body is nested deeper than 32 levels");
  }

  @Test
  void refusesTwoHundredThousandLevelsWithoutRecursing() {
    assertRefused(JsonArray.class, "[".repeat(200_000), "The body is nested deeper than 32 levels");
    assertRefused(
        JsonObject.class,
        "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000),
        "The body is nested deeper than 32 levels");
  }

  @Test
  void refusesARepeatedKeyAtTheTop() {
    assertRefused(
        JsonObject.class, "{\"name\":\"a\",\"name\":\"b\"}", "The body has the key \"name\" twice");
  }

  @Test
  void refusesARepeatedKeyInsideAnInnerObject() {
    assertRefused(
        JsonObject.class,
        "{\"kind\":\"vm\",\"network\":{\"mode\":\"nat\",\"host\":\"a\",\"mode\":\"ledger\"}}",
        "The body has the key \"mode\" twice");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":1}}garbage",
        "{\"a\":1}garbage",
        "{\"a\":1} {\"b\":2}",
        "{\"a\":1}\n,",
        "{}[]",
        "{}\u0000"
      })
  void refusesDataAfterTheValue(String body) {
    assertRefused(JsonObject.class, body, "The body has data after its JSON value");
  }

  @Test
  void refusesDataAfterAScalarValue() {
    assertRefused(JsonValue.class, "1 2", "The body has data after its JSON value");
  }

  @Test
  void refusesANumberOfHalfAMillionDigits() {
    assertRefused(
        JsonObject.class,
        "{\"cores\":" + "9".repeat(500_000) + "}",
        "A number in the body is too long");
  }

  @Test
  void refusesANumberOneCharacterOverTheLimit() {
    assertRefused(
        JsonObject.class,
        "{\"n\":-" + "1".repeat(JsonBodyReader.MAX_NUMBER_LENGTH) + "}",
        "A number in the body is too long");
  }

  @Test
  void refusesAnExponentNoNumberCanHold() {
    assertRefused(
        JsonObject.class, "{\"n\":1e-99999999999}", "A number in the body is out of range");
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

    assertThatThrownBy(() -> readBytes(JsonObject.class, body, null))
        .isInstanceOf(MalformedBody.class)
        .hasMessage("The body is not valid UTF-8");
  }

  @Test
  void refusesAnEncodedSurrogate() {
    // U+D800 encoded as if it were a character: not UTF-8, though some decoders let it pass.
    byte[] body = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};

    assertThatThrownBy(() -> readBytes(JsonValue.class, body, null))
        .isInstanceOf(MalformedBody.class)
        .hasMessage("The body is not valid UTF-8");
  }

  @Test
  void readsMultiByteCharacters() {
    assertThat(read(JsonObject.class, "{\"purpose\":\"Prüfung 🚢\"}").getString("purpose"))
        .isEqualTo("Prüfung 🚢");
  }

  @Test
  void refusesABodyOverOneMebibyteAndDropsTheRestSoTheAnswerArrives() {
    String body = "{\"purpose\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    CountingStream stream = new CountingStream(body.getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> readStream(JsonObject.class, stream, null))
        .isInstanceOf(MalformedBody.class)
        .hasMessage("The body is larger than 1 MiB");
    assertThat(stream.read.get()).isEqualTo(body.length());
  }

  @Test
  void stopsReadingAnEndlessBodyAfterDroppingABoundedAmount() {
    EndlessStream stream = new EndlessStream();

    assertThatThrownBy(() -> readStream(JsonValue.class, stream, null))
        .isInstanceOf(MalformedBody.class)
        .hasMessage("The body is larger than 1 MiB");
    assertThat(stream.read)
        .isLessThanOrEqualTo(JsonBodyReader.MAX_BYTES + 1 + JsonBodyReader.MAX_DISCARDED + 8192);
  }

  @Test
  void refusesADeclaredLengthOverOneMebibyteBeforeParsing() {
    CountingStream stream = new CountingStream("{}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> readStream(JsonObject.class, stream, String.valueOf(2 * 1024 * 1024)))
        .isInstanceOf(MalformedBody.class)
        .hasMessage("The body is larger than 1 MiB");
  }

  @Test
  void readsNothingOfABodyDeclaredLargerThanWhatIsDropped() {
    CountingStream stream = new CountingStream("{}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () ->
                readStream(
                    JsonObject.class, stream, String.valueOf(JsonBodyReader.MAX_DISCARDED + 1)))
        .isInstanceOf(MalformedBody.class)
        .hasMessage("The body is larger than 1 MiB");
    assertThat(stream.read.get()).isZero();
  }

  @Test
  void takesABodyOfExactlyOneMebibyte() {
    String start = "{\"purpose\":\"";
    String end = "\"}";
    String body =
        start + "x".repeat(JsonBodyReader.MAX_BYTES - start.length() - end.length()) + end;

    assertThat(read(JsonObject.class, body).getString("purpose"))
        .hasSize(JsonBodyReader.MAX_BYTES - start.length() - end.length());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{\"a\":}|Invalid token=CURLYCLOSE",
        "{\"a\" 1}|Invalid token=NUMBER",
        "{\"a\":1,}|Invalid token=CURLYCLOSE",
        "{'a':1}|Unexpected character '''",
        "{\"a\":tru}|Unexpected character '}'",
        "garbage|Unexpected character 'g'",
        "\uFEFF{}|Unexpected character U+FEFF"
      })
  void refusesTextThatIsNotJsonSayingWhereItBreaks(String body, String reason) {
    assertThatThrownBy(() -> read(JsonObject.class, body))
        .isInstanceOf(MalformedBody.class)
        .hasMessageStartingWith("The body is not valid JSON: " + reason)
        .hasMessageMatching("(?s).*\\(line 1, column \\d+\\)$");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1", "{\"a\":", "[1,2", "nul", "\"open"})
  void refusesABodyThatEndsTooEarly(String body) {
    assertRefused(
        JsonObject.class, body, "The body is not valid JSON: it ends before its value is complete");
  }

  @Test
  void isABadRequestCalledInvalidJson() {
    MalformedBody refusal =
        (MalformedBody) catchRefusal(JsonObject.class, "{\"a\":1}garbage".getBytes());

    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.INVALID);
    assertThat(ApiExceptionMapper.status(refusal.kind())).isEqualTo(400);
    assertThat(refusal.code()).isEqualTo("invalid_json");
    assertThat(refusal.field()).isNull();
  }

  @Test
  void readsEveryJsonTypeAndNothingElse() {
    assertThat(reader.isReadable(JsonObject.class, null, null, MediaType.APPLICATION_JSON_TYPE))
        .isTrue();
    assertThat(reader.isReadable(JsonArray.class, null, null, MediaType.APPLICATION_JSON_TYPE))
        .isTrue();
    assertThat(reader.isReadable(JsonStructure.class, null, null, MediaType.APPLICATION_JSON_TYPE))
        .isTrue();
    assertThat(reader.isReadable(JsonValue.class, null, null, MediaType.APPLICATION_JSON_TYPE))
        .isTrue();
    assertThat(reader.isReadable(String.class, null, null, MediaType.APPLICATION_JSON_TYPE))
        .isFalse();
  }

  private void assertRefused(Class<? extends JsonValue> type, String body, String message) {
    assertThatThrownBy(() -> read(type, body))
        .isInstanceOf(MalformedBody.class)
        .hasMessage(message);
  }

  private Throwable catchRefusal(Class<? extends JsonValue> type, byte[] body) {
    try {
      readBytes(type, body, null);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the body was accepted");
  }

  private <T extends JsonValue> T read(Class<T> type, String body) {
    return readBytes(type, body.getBytes(StandardCharsets.UTF_8), null);
  }

  private <T extends JsonValue> T readBytes(Class<T> type, byte[] body, String length) {
    return readStream(type, new ByteArrayInputStream(body), length);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T extends JsonValue> T readStream(Class<T> type, InputStream body, String length) {
    MultivaluedHashMap<String, String> headers = new MultivaluedHashMap<>();
    if (length != null) {
      headers.putSingle("Content-Length", length);
    }
    try {
      return type.cast(
          reader.readFrom(
              (Class) type, type, null, MediaType.APPLICATION_JSON_TYPE, headers, body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A body that never ends, counting what is taken from it. */
  private static final class EndlessStream extends InputStream {
    long read;

    @Override
    public int read() {
      read++;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 'x');
      read += len;
      return len;
    }
  }

  /** A stream that counts the bytes taken from it. */
  private static final class CountingStream extends ByteArrayInputStream {
    final AtomicInteger read = new AtomicInteger();

    CountingStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int read() {
      int b = super.read();
      if (b >= 0) {
        read.incrementAndGet();
      }
      return b;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      int n = super.read(b, off, len);
      if (n > 0) {
        read.addAndGet(n);
      }
      return n;
    }
  }
}
