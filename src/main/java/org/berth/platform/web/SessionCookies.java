package org.berth.platform.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.annotation.WebListener;
import org.eclipse.microprofile.config.Config;

/**
 * The session cookie is {@code Secure} when {@code berth.portal-url} is an https address, as it is
 * behind the reverse proxy. It is also {@code HttpOnly} and {@code SameSite=Lax} ({@code
 * payara-web.xml}): sent when a person follows a link to Berth, as the identity provider's redirect
 * back is, but not with cross-site posts.
 */
@WebListener
public class SessionCookies implements ServletContextListener {

  @Inject Config config;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    SessionCookieConfig cookie = event.getServletContext().getSessionCookieConfig();
    cookie.setHttpOnly(true);
    String portal = config.getOptionalValue("berth.portal-url", String.class).orElse("");
    cookie.setSecure(portal.strip().toLowerCase(java.util.Locale.ROOT).startsWith("https://"));
  }
}
