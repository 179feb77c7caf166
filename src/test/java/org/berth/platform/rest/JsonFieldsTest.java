package org.berth.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.berth.platform.refusal.InvalidInput;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

  static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  @Test
  void fieldsOfTheRightTypeAreReadAndAbsentOrNullOnesReadAsNull() {
    JsonFields f =
        JsonFields.of(json("{\"name\":\"a\",\"cores\":2,\"keys\":[\"k\"],\"gone\":null}"));

    assertThat(f.text("name")).isEqualTo("a");
    assertThat(f.whole("cores")).isEqualTo(2L);
    assertThat(f.strings("keys", "must be a list")).containsExactly("k");
    assertThat(f.text("gone")).isNull();
    assertThat(f.whole("missing")).isNull();
    f.check();
    assertThat(f.problems()).isEmpty();
  }

  @Test
  void everyFieldOfTheWrongTypeIsNamedInOneRefusal() {
    JsonFields f =
        JsonFields.of(
            json("{\"name\":1,\"cores\":1.5,\"keys\":[\"k\",2],\"net\":{\"port\":\"80\"}}"));

    f.text("name");
    f.whole("cores");
    f.strings("keys", "must be a list");
    f.within(json("{\"port\":\"80\"}"), "net").whole("port");
    f.requiredText("holder");

    assertThatThrownBy(f::check)
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e ->
                assertThat(e.fields())
                    .isEqualTo(
                        Map.of(
                            "name", "must be a string",
                            "cores", "must be a whole number",
                            "keys[1]", "must be a string",
                            "net.port", "must be a whole number",
                            "holder", "is required")));
  }

  @Test
  void aWholeNumberTooLargeForALongReadsAsTheLargestSoThatItFailsAnyRange() {
    JsonFields f =
        JsonFields.of(json("{\"big\":" + "9".repeat(40) + ",\"small\":-" + "9".repeat(40) + "}"));

    assertThat(f.whole("big")).isEqualTo(Long.MAX_VALUE);
    assertThat(f.whole("small")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void aMissingBodyHasNoFields() {
    JsonFields f = JsonFields.of(null);

    assertThat(f.text("reason")).isNull();
    assertThat(f.strings("keys", "must be a list")).isNull();
    f.check();
    assertThat(List.copyOf(f.problems().keySet())).isEmpty();
  }
}
