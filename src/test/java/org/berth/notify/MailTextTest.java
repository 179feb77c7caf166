package org.berth.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailTextTest {

  @Test
  void putsFreeTextOnOneLine() {
    assertThat(MailText.oneLine("x\nApproved-By: admin\n\nClick http://evil"))
        .isEqualTo("x Approved-By: admin  Click http://evil");
    assertThat(MailText.oneLine("a\r\nb\rc\u0000d\u001be\u007ff\u0085g\u2028h\u2029i\tj"))
        .isEqualTo("a  b c d e f g h i j");
    assertThat(MailText.oneLine("plain, ü ✓")).isEqualTo("plain, ü ✓");
    assertThat(MailText.oneLine(null)).isEmpty();
  }

  @Test
  void aSubjectHasNoLineBreakLeft() {
    String subject = MailText.subject("[Berth] web-1 is ready\r\nBcc: everyone@example.com\n");
    assertThat(subject).isEqualTo("[Berth] web-1 is ready  Bcc: everyone@example.com");
    assertThat(subject).doesNotContain("\r", "\n");
  }

  @Test
  void aBodyKeepsItsLinesWithLfOnly() {
    assertThat(MailText.body("Hello,\r\n\r\nline\rnext\n\tindented\u0007 bell\u2028sep\n"))
        .isEqualTo("Hello,\n\nline\nnext\n\tindented  bell sep\n");
  }
}
