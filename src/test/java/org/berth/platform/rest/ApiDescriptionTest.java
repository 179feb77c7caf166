package org.berth.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import jakarta.annotation.security.PermitAll;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.berth.testing.ApiEndpoints;
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
  static Map<String, Method> resourceMethods() {
    Map<String, Method> found = new java.util.TreeMap<>();
    ApiEndpoints.inCode()
        .forEach(
            (endpoint, m) -> {
              int space = endpoint.indexOf(' ');
              found.put(
                  endpoint.substring(0, space) + " " + normalised(endpoint.substring(space + 1)),
                  m);
            });
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
}
