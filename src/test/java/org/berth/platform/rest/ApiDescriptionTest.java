package org.berth.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Keeps the API's description ({@code META-INF/openapi.yaml}, served at {@code /openapi}) and the
 * JAX-RS resources in step. Every resource method under {@code org.berth} (class {@code @Path},
 * method {@code @Path}, HTTP method; the simulated Proxmox VE cluster is not Berth's API) must be
 * an operation of the document, and every operation of the document must be a resource method. So
 * this test fails when someone adds, moves or removes an endpoint without saying so in the
 * document: document the new operation (its parameters, body, every answer and its schema) and it
 * passes. What goes over the wire is checked against the document by the integration tests ({@code
 * org.berth.testing.Http}).
 */
class ApiDescriptionTest {

  private static final String DOCUMENT = "META-INF/openapi.yaml";
  private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch", "head");

  @Test
  void documentIsAValidOpenApiDocument() throws IOException {
    // The validator the integration tests use refuses a document with problems, naming them.
    OpenApiInteractionValidator validator =
        OpenApiInteractionValidator.createForInlineApiSpecification(document()).build();

    assertThat(validator).isNotNull();
    assertThat(yaml().get("openapi")).isEqualTo("3.0.3");
  }

  @Test
  void everyResourceMethodIsDocumented() throws Exception {
    Set<String> undocumented = new TreeSet<>(endpointsInCode());
    undocumented.removeAll(operationsInDocument());

    assertThat(undocumented)
        .as("endpoints missing from %s: describe each operation there", DOCUMENT)
        .isEmpty();
  }

  @Test
  void everyDocumentedOperationExistsInCode() throws Exception {
    Set<String> stale = new TreeSet<>(operationsInDocument());
    stale.removeAll(endpointsInCode());

    assertThat(stale).as("operations in %s that no resource method serves", DOCUMENT).isEmpty();
  }

  @Test
  void everyOperationHasAnIdASummaryAndItsAnswers() throws IOException {
    List<String> incomplete = new ArrayList<>();
    for (var path : paths().entrySet()) {
      for (var operation : operations(path.getValue()).entrySet()) {
        Map<?, ?> op = (Map<?, ?>) operation.getValue();
        String name = operation.getKey().toUpperCase() + " " + path.getKey();
        if (!(op.get("operationId") instanceof String) || !(op.get("summary") instanceof String)) {
          incomplete.add(name + ": operationId and summary");
        }
        Map<?, ?> responses = (Map<?, ?>) op.get("responses");
        if (responses == null
            || responses.keySet().stream().noneMatch(s -> s.toString().startsWith("2"))) {
          incomplete.add(name + ": a 2xx answer");
        }
        if (responses != null && responses.containsKey("default")) {
          incomplete.add(name + ": each answer by its status, not a default");
        }
      }
    }
    assertThat(incomplete).isEmpty();
  }

  @Test
  void operationsOutsideTheSignInSayWhichSecretTheyCheck() throws Exception {
    Set<String> ownSecret = new TreeSet<>();
    for (var method : resourceMethods().entrySet()) {
      Method m = method.getValue();
      if (m.isAnnotationPresent(PermitAll.class)
          || m.getDeclaringClass().isAnnotationPresent(PermitAll.class)) {
        ownSecret.add(method.getKey());
      }
    }
    List<String> wrong = new ArrayList<>();
    for (var path : paths().entrySet()) {
      for (var operation : operations(path.getValue()).entrySet()) {
        String name = operation.getKey().toUpperCase() + " " + normalised(path.getKey());
        Object security = ((Map<?, ?>) operation.getValue()).get("security");
        if (ownSecret.contains(name)) {
          if (!(security instanceof List<?> schemes)
              || schemes.isEmpty()
              || schemes.stream().anyMatch(s -> ((Map<?, ?>) s).containsKey("personalToken"))) {
            wrong.add(name + " checks its own secret: name that scheme, not the sign-in");
          }
        } else if (security != null) {
          wrong.add(name + " needs a signed-in caller: keep the document's sign-in schemes");
        }
      }
    }

    assertThat(ownSecret).isNotEmpty();
    assertThat(wrong).isEmpty();
  }

  /** {@code METHOD /api/path/{}} of every resource method in the WAR's classes. */
  static Set<String> endpointsInCode() throws Exception {
    return resourceMethods().keySet();
  }

  /** Every resource method in the WAR's classes by {@code METHOD /api/path/{}}. */
  static Map<String, Method> resourceMethods() throws Exception {
    String api = "/" + strip(BerthApi.class.getAnnotation(ApplicationPath.class).value());
    Map<String, Method> found = new java.util.TreeMap<>();
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
                  + " is a sub-resource locator; teach this test to follow it");
        }
        if (verb != null) {
          String path = api + "/" + root + (sub == null ? "" : "/" + strip(sub.value()));
          found.put(verb + " " + normalised(path), m);
        }
      }
    }
    return found;
  }

  /** {@code METHOD /api/path/{}} of every operation of the document. */
  static Set<String> operationsInDocument() throws IOException {
    Set<String> found = new TreeSet<>();
    for (var path : paths().entrySet()) {
      for (String verb : operations(path.getValue()).keySet()) {
        found.add(verb.toUpperCase() + " " + normalised(path.getKey()));
      }
    }
    return found;
  }

  /** The path with every template, {@code {id}} or {@code {id: [0-9]+}}, as {@code {}}. */
  static String normalised(String path) {
    return path.replaceAll("\\{[^}/]*}", "{}").replaceAll("/+", "/");
  }

  private static Map<String, Object> operations(Object pathItem) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    ((Map<?, ?>) pathItem)
        .forEach(
            (k, v) -> {
              if (VERBS.contains(k.toString())) {
                out.put(k.toString(), v);
              }
            });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> paths() throws IOException {
    return (Map<String, Object>) yaml().get("paths");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml() throws IOException {
    return (Map<String, Object>)
        new Load(LoadSettings.builder().build()).loadFromString(document());
  }

  static String document() throws IOException {
    try (InputStream in = ApiDescriptionTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new AssertionError(DOCUMENT + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Root resource classes of the WAR, but the simulated cluster's. */
  private static List<Class<?>> resourceClasses() throws Exception {
    List<Class<?>> found = new ArrayList<>();
    java.nio.file.Path classes =
        java.nio.file.Path.of(
            BerthApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (!name.startsWith("org.berth.")
            || name.startsWith("org.berth.hypervisor.simulator.")
            || name.contains("$")) {
          continue;
        }
        Class<?> type = Class.forName(name, false, ApiDescriptionTest.class.getClassLoader());
        if (type.isAnnotationPresent(Path.class)) {
          found.add(type);
        }
      }
    }
    return found;
  }

  private static String verb(Method m) {
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
