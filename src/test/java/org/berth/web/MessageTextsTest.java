package org.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/** Every text of the portal is a pattern {@link MessageFormat} reads, so no page breaks on one. */
class MessageTextsTest {

  private static final ResourceBundle TEXTS =
      ResourceBundle.getBundle("org.berth.web.messages", Locale.ENGLISH);

  @Test
  void everyTextIsAPatternMessageFormatReads() {
    List<String> broken = new ArrayList<>();
    for (String key : TEXTS.keySet()) {
      try {
        new MessageFormat(TEXTS.getString(key), Locale.ENGLISH);
      } catch (IllegalArgumentException e) {
        broken.add(key + ": " + e.getMessage());
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void coresAreCountedInWordsThatAgree() {
    String size = TEXTS.getString("requestPage.sizeValue");
    assertThat(MessageFormat.format(size, 1, 1024, 10))
        .isEqualTo("1 core, 1024 MiB memory, 10 GiB disk");
    assertThat(MessageFormat.format(size, 4, 8192, 40))
        .isEqualTo("4 cores, 8192 MiB memory, 40 GiB disk");
    assertThat(MessageFormat.format(TEXTS.getString("quota.cores"), "1", 1))
        .isEqualTo("1 of 1 core");
    assertThat(MessageFormat.format(TEXTS.getString("quota.cores"), "2", 1000))
        .isEqualTo("2 of 1,000 cores");
  }
}
