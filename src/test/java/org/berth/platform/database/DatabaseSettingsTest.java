package org.berth.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.berth.platform.config.InvalidSetting;
import org.berth.testing.MapConfig;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  private static DatabaseSettings withUrl(String url) {
    return new DatabaseSettings(
        Optional.ofNullable(url),
        Optional.empty(),
        Optional.of("pw"),
        Path.of("data"),
        0,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10));
  }

  @Test
  void usesTheEmbeddedDatabaseWhenNoUrlIsSet() {
    assertThat(withUrl(null).embedded()).isTrue();
    assertThat(withUrl("  ").embedded()).isTrue();
    assertThat(withUrl(null).redactedUrl()).isEqualTo("(embedded)");
  }

  @Test
  void acceptsPostgresqlJdbcUrls() {
    assertThat(withUrl("jdbc:postgresql://db.example.com:5432/berth").embedded()).isFalse();
    assertThat(withUrl("jdbc:postgresql://db/berth?sslmode=require").url()).isPresent();
  }

  @Test
  void rejectsUrlsThatAreNotPostgresqlJdbcUrlsNamingTheSetting() {
    for (String bad :
        new String[] {
          "postgres://db/berth", "jdbc:mysql://db/berth", "jdbc:postgresql://db", "db:5432"
        }) {
      assertThatThrownBy(() -> withUrl(bad))
          .isInstanceOf(InvalidSetting.class)
          .hasMessageStartingWith("berth.db.url must be a PostgreSQL JDBC URL")
          .hasMessageNotContaining(bad);
    }
  }

  @Test
  void masksPasswordsInTheUrl() {
    DatabaseSettings settings =
        withUrl("jdbc:postgresql://db/berth?user=berth&password=hunter2&sslpassword=x");

    assertThat(settings.redactedUrl())
        .isEqualTo("jdbc:postgresql://db/berth?user=berth&password=***&sslpassword=***");
    assertThat(settings.toString()).doesNotContain("hunter2").doesNotContain("pw");
  }

  @Test
  void rejectsPortsOutOfRangeNamingTheSettingAndItsRule() {
    assertThatThrownBy(
            () -> DatabaseSettings.from(new MapConfig(Map.of("berth.db.embedded-port", "70000"))))
        .isInstanceOf(InvalidSetting.class)
        .hasMessage("berth.db.embedded-port must be a whole number from 0 to 65535");
  }

  @Test
  void resolvesTheDataDirectoryToAnAbsolutePath() {
    assertThat(withUrl(null).dataDirectory()).isAbsolute();
  }
}
