package org.berth.notify;

import java.util.List;
import java.util.Optional;
import org.berth.platform.config.InvalidSetting;
import org.berth.platform.config.Settings;
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
    if (!from.contains("@")) {
      throw new InvalidSetting("berth.mail.from", "must be a mail address");
    }
    portalUrl =
        portalUrl.endsWith("/") ? portalUrl.substring(0, portalUrl.length() - 1) : portalUrl;
    if (!portalUrl.startsWith("http://") && !portalUrl.startsWith("https://")) {
      throw new InvalidSetting("berth.portal-url", "must be an http or https address");
    }
  }

  public boolean delivers() {
    return smtpHost.isPresent();
  }

  public static MailSettings from(Config config) {
    Settings settings = new Settings(config);
    return new MailSettings(
        settings.text("berth.mail.smtp-host"),
        settings.whole("berth.mail.smtp-port", 25, 1, 65535),
        settings.text("berth.mail.smtp-user"),
        config.getOptionalValue("berth.mail.smtp-password", String.class),
        settings.flag("berth.mail.smtp-starttls", false),
        settings.text("berth.mail.from", "berth@localhost"),
        settings.text("berth.portal-url", "http://localhost:8080"),
        settings.list("berth.mail.admins"),
        settings.whole("berth.mail.timeout-seconds", 20, 1, 3600));
  }
}
