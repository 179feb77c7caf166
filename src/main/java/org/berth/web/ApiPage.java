package org.berth.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The API page ({@code api.xhtml}, {@code #{apiPage}}): Swagger UI on the API's description at
 * {@code /openapi}. Swagger UI comes from its webjar in the WAR, so the page loads nothing from
 * elsewhere; its folder carries the webjar's version, read here so that upgrading is a change of
 * the version in the build alone.
 */
@Named
@ApplicationScoped
public class ApiPage {

  private static final String WEBJAR = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

  private final String swaggerUi = "/webjars/swagger-ui/" + version();

  /** Swagger UI's folder below the context root, such as {@code /webjars/swagger-ui/5.35.0}. */
  public String getSwaggerUi() {
    return swaggerUi;
  }

  private static String version() {
    try (InputStream in = ApiPage.class.getClassLoader().getResourceAsStream(WEBJAR)) {
      if (in == null) {
        throw new IllegalStateException("Swagger UI's webjar is missing from the WAR");
      }
      Properties webjar = new Properties();
      webjar.load(in);
      return webjar.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
