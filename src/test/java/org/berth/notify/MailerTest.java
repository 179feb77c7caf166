package org.berth.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What arrives at a real SMTP server (GreenMail, in this JVM on loopback). */
class MailerTest {

  GreenMail smtp;
  Mailer mailer;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    mailer =
        new Mailer(
            new MailSettings(
                Optional.of("127.0.0.1"),
                port,
                Optional.empty(),
                Optional.empty(),
                false,
                "berth@example.com",
                "http://berth.test",
                List.of(),
                5));
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  @Test
  void aLineBreakInTheSubjectAddsNoHeader() throws Exception {
    mailer.send(
        "alice@example.com",
        "[Berth] x\r\nBcc: mallory@example.com\r\nX-Approved-By: admin",
        "Hello,\r\n\r\nyour guest is ready.\n");

    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(1);
    MimeMessage m = received[0];
    assertThat(m.getSubject())
        .isEqualTo("[Berth] x  Bcc: mallory@example.com  X-Approved-By: admin");
    assertThat(m.getRecipients(Message.RecipientType.BCC)).isNull();
    assertThat(m.getHeader("X-Approved-By")).isNull();
    assertThat(m.getAllRecipients())
        .extracting(Object::toString)
        .containsExactly("alice@example.com");
    assertThat(String.valueOf(m.getContent()).replace("\r\n", "\n").strip())
        .isEqualTo("Hello,\n\nyour guest is ready.");
  }
}
