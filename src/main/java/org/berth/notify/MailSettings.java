package org.berth.notify;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.berth.platform.config.InvalidSetting;
import org.eclipse.microprofile.config.Config;

/**
 * Where mail goes; see docs/configuration.md.
 *
 * @param smtpHost the SMTP server; empty keeps mail in the outbox (the demo)
 * @param password the SMTP password; secret, never logged
 * @param portalUrl the portal's address, for links in mail
 * @param admins where "waiting for approval" mail goes; empty: every admin who has signed in
 */
public record MailSettings(
    Optional<String> smtpHost,
    int smtpPort,
    Optional<String> user,
    Optional<String> password,
    boolean startTls,
    String from,
    String portalUrl,
    List<String> admins,
    int timeoutSeconds) {

  public MailSettings {
    smtpHost = smtpHost.map(String::strip).filter(s -> !s.isEmpty());
    user = user.filter(s -> !s.isBlank());
    password = password.filter(s -> !s.isBlank());
    if (smtpPort < 1 || smtpPort > 65535) {
      throw new InvalidSetting("berth.mail.smtp-port", "must be a port between 1 and 65535");
    }
    if (!from.contains("@")) {
      throw new InvalidSetting("berth.mail.from", "must be a mail address");
    }
    portalUrl =
        portalUrl.endsWith("/") ? portalUrl.substring(0, portalUrl.length() - 1) : portalUrl;
    if (!portalUrl.startsWith("http://") && !portalUrl.startsWith("https://")) {
      throw new InvalidSetting("berth.portal-url", "must be an http or https address");
    }
    if (timeoutSeconds < 1) {
      throw new InvalidSetting("berth.mail.timeout-seconds", "must be at least 1");
    }
  }

  public boolean delivers() {
    return smtpHost.isPresent();
  }

  public static MailSettings from(Config config) {
    return new MailSettings(
        config.getOptionalValue("berth.mail.smtp-host", String.class),
        config.getOptionalValue("berth.mail.smtp-port", Integer.class).orElse(25),
        config.getOptionalValue("berth.mail.smtp-user", String.class),
        config.getOptionalValue("berth.mail.smtp-password", String.class),
        config.getOptionalValue("berth.mail.smtp-starttls", Boolean.class).orElse(false),
        config.getOptionalValue("berth.mail.from", String.class).orElse("berth@localhost"),
        config.getOptionalValue("berth.portal-url", String.class).orElse("http://localhost:8080"),
        Arrays.stream(
                config.getOptionalValue("berth.mail.admins", String.class).orElse("").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList(),
        config.getOptionalValue("berth.mail.timeout-seconds", Integer.class).orElse(20));
  }
}
