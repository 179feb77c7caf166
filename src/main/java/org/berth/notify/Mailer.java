package org.berth.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;

/** Sends one plain-text message over SMTP; the only class that speaks to the mail server. */
public final class Mailer {

  private final MailSettings settings;
  private final Session session;

  public Mailer(MailSettings settings) {
    this.settings = settings;
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", settings.smtpHost().orElse("localhost"));
    p.put("mail.smtp.port", String.valueOf(settings.smtpPort()));
    String timeout = String.valueOf(settings.timeoutSeconds() * 1000);
    p.put("mail.smtp.connectiontimeout", timeout);
    p.put("mail.smtp.timeout", timeout);
    p.put("mail.smtp.writetimeout", timeout);
    if (settings.startTls()) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    Authenticator login = null;
    if (settings.user().isPresent()) {
      p.put("mail.smtp.auth", "true");
      String user = settings.user().get();
      String password = settings.password().orElse("");
      login =
          new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
              return new PasswordAuthentication(user, password);
            }
          };
    }
    this.session = Session.getInstance(p, login);
  }

  /** Sends a message; throws {@link MailFailed} with the server's answer (never a password). */
  public void send(String to, String subject, String body) {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(settings.from()));
      message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
      // Mail queued before the outbox cleaned its text is cleaned here: headers get no raw CR/LF.
      message.setSubject(MailText.subject(subject), "UTF-8");
      message.setText(MailText.body(body), "UTF-8");
      message.setSentDate(new Date());
      Transport.send(message);
    } catch (MessagingException e) {
      throw new MailFailed(
          "Mail to "
              + to
              + " via "
              + settings.smtpHost().orElse("?")
              + ":"
              + settings.smtpPort()
              + " failed: "
              + e.getMessage());
    }
  }

  /** Delivery failed; the message says where and why. */
  public static class MailFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MailFailed(String message) {
      super(message);
    }
  }
}
