package org.berth.testing;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.berth.platform.rest.BerthApi;

/**
 * The REST API as the code declares it: every resource method of the WAR's classes, so that tests
 * which must cover every endpoint fail when one is added without them.
 */
public final class ApiEndpoints {

  private ApiEndpoints() {}

  /**
   * Every resource method by {@code METHOD /api/path}, the path as the annotations write it.
   *
   * @throws AssertionError on a sub-resource locator, which these tests cannot follow
   */
  public static Map<String, Method> inCode() {
    String api = "/" + strip(BerthApi.class.getAnnotation(ApplicationPath.class).value());
    Map<String, Method> found = new TreeMap<>();
    for (Class<?> type : resourceClasses()) {
      String root = strip(type.getAnnotation(Path.class).value());
      for (Method m : type.getMethods()) {
        String verb = verb(m);
        Path sub = m.getAnnotation(Path.class);
        if (verb == null && sub != null) {
          throw new AssertionError(
              type.getName()
                  + "."
                  + m.getName()
                  + " is a sub-resource locator; teach ApiEndpoints to follow it");
        }
        if (verb != null) {
          found.put(
              verb + " " + api + "/" + root + (sub == null ? "" : "/" + strip(sub.value())), m);
        }
      }
    }
    return found;
  }

  /** The root resource classes of the WAR (where {@link BerthApi} was compiled to). */
  public static List<Class<?>> resourceClasses() {
    List<Class<?>> found = new ArrayList<>();
    try {
      java.nio.file.Path classes =
          java.nio.file.Path.of(
              BerthApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
        for (java.nio.file.Path file :
            files.filter(f -> f.toString().endsWith(".class")).toList()) {
          String name =
              classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
          if (!name.startsWith("org.berth.") || name.contains("$")) {
            continue;
          }
          Class<?> type = Class.forName(name, false, ApiEndpoints.class.getClassLoader());
          if (type.isAnnotationPresent(Path.class)) {
            found.add(type);
          }
        }
      }
    } catch (java.io.IOException | java.net.URISyntaxException | ClassNotFoundException e) {
      throw new AssertionError("reading the WAR's classes failed", e);
    }
    return found;
  }

  /** The HTTP method of a resource method, or null when it is none. */
  public static String verb(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  private static String strip(String path) {
    return path.replaceAll("^/+|/+$", "");
  }
}
