package org.berth.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.berth.testing.MapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

  static Settings settings(Map<String, String> values) {
    return new Settings(new MapConfig(values));
  }

  @Test
  void aSettingNotSetOrBlankGivesTheDefault() {
    Settings s = settings(Map.of("berth.a", "  ", "berth.b", " text "));

    assertThat(s.text("berth.a")).isEmpty();
    assertThat(s.text("berth.a", "default")).isEqualTo("default");
    assertThat(s.text("berth.b")).contains("text");
    assertThat(s.whole("berth.a", 7, 1, 10)).isEqualTo(7);
    assertThat(s.whole("berth.missing", 7, 1, 10)).isEqualTo(7);
    assertThat(s.flag("berth.missing", true)).isTrue();
    assertThat(s.list("berth.missing")).isEmpty();
  }

  @Test
  void wholeNumbersAreTakenWithinTheirRangeAndRefusedOutsideItNamingTheRuleNotTheValue() {
    Settings s = settings(Map.of("berth.n", " 10 ", "berth.big", "11", "berth.text", "ten"));

    assertThat(s.whole("berth.n", 1, 1, 10)).isEqualTo(10);
    assertThatThrownBy(() -> s.whole("berth.big", 1, 1, 10))
        .isInstanceOf(InvalidSetting.class)
        .hasMessage("berth.big must be a whole number from 1 to 10");
    assertThatThrownBy(() -> s.whole("berth.text", 1, 1))
        .isInstanceOf(InvalidSetting.class)
        .hasMessage("berth.text must be a whole number, at least 1")
        .satisfies(e -> assertThat(((InvalidSetting) e).setting()).isEqualTo("berth.text"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-0.1", "3600.5", "NaN", "Infinity", "1,5", "soon"})
  void decimalsOutsideTheirRangeOrNotNumbersAreRefused(String value) {
    Settings s = settings(Map.of("berth.d", value));

    assertThatThrownBy(() -> s.decimal("berth.d", 1, 0, 3600))
        .isInstanceOf(InvalidSetting.class)
        .hasMessage("berth.d must be a number from 0 to 3600");
  }

  @Test
  void decimalsWithinTheirRangeAreTaken() {
    assertThat(settings(Map.of("berth.d", "0.25")).decimal("berth.d", 1, 0.1, 3600))
        .isEqualTo(0.25);
  }

  @Test
  void switchesAreTrueOrFalseAndNothingElse() {
    Settings s = settings(Map.of("berth.on", "TRUE", "berth.off", "false", "berth.yes", "yes"));

    assertThat(s.flag("berth.on", false)).isTrue();
    assertThat(s.flag("berth.off", true)).isFalse();
    assertThatThrownBy(() -> s.flag("berth.yes", false))
        .isInstanceOf(InvalidSetting.class)
        .hasMessage("berth.yes must be true or false");
  }

  @Test
  void listsSplitOnCommasAndBlanks() {
    assertThat(settings(Map.of("berth.l", " a, b  c,,")).list("berth.l"))
        .isEqualTo(List.of("a", "b", "c"));
  }

  @Test
  void filesMustBeReadableFiles(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("ca.pem"), "x");
    Settings s =
        settings(
            Map.of(
                "berth.file", file.toString(),
                "berth.folder", dir.toString(),
                "berth.gone", dir.resolve("gone").toString()));

    assertThat(s.readableFile("berth.file")).contains(file);
    assertThatThrownBy(() -> s.readableFile("berth.folder"))
        .hasMessage("berth.folder must name a readable file");
    assertThatThrownBy(() -> s.readableFile("berth.gone"))
        .hasMessage("berth.gone must name a readable file");
  }

  @Test
  void urlsMustBeHttpWithAHostAndNoUserPart() {
    Settings s =
        settings(
            Map.of(
                "berth.ok", "https://pve1:8006",
                "berth.ftp", "ftp://pve1",
                "berth.user", "https://root:secret@pve1:8006",
                "berth.bad", "https://pve 1"));

    assertThat(s.httpUrl("berth.ok", "https://pve1:8006"))
        .contains(URI.create("https://pve1:8006"));
    for (String key : List.of("berth.ftp", "berth.user", "berth.bad")) {
      assertThatThrownBy(() -> s.httpUrl(key, "https://pve1:8006"))
          .isInstanceOf(InvalidSetting.class)
          .hasMessage(key + " must be an http(s) URL such as https://pve1:8006")
          .hasMessageNotContaining("secret");
    }
  }
}
