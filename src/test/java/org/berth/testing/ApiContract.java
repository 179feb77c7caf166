package org.berth.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

/**
 * The API's contract, the OpenAPI document a running Berth serves at {@code /openapi}, applied to
 * what the tests send and get. Every answer to an {@code /api} call must have a status the document
 * lists for its operation and a body that matches that status's schema. A request that Berth
 * accepted (2xx) must match the documented request too: path, query parameters, credentials and
 * body. A request that Berth refused may be malformed on purpose (the tests of bad input), so only
 * its answer is checked. A call to a path or method the document does not have must be refused with
 * 404 or 405 in the API's error shape. A mismatch is an {@link AssertionError} naming the operation
 * and what the validator found.
 *
 * <p>The validator keeps its own strict levels; unknown query parameters are an error too. One
 * thing OpenAPI 3.0 cannot say is let through: an empty answer where the document gives a media
 * type without a schema (the jump host's empty key list) is an empty text, not a missing body. The
 * document is fetched once per Berth, as JSON. A Berth that does not serve it (one that refuses to
 * start or waits for its database answers 503 to nearly everything) is held to the document in the
 * WAR it runs.
 */
final class ApiContract {

  private static final Map<URI, ApiContract> BY_SERVER = new ConcurrentHashMap<>();

  /**
   * How Berth answers a path the document has no operation for: 404 or 405, and 401 to anonymous
   * callers, whom it asks to sign in before it says whether anything is there.
   */
  private static final Set<Integer> NO_SUCH_OPERATION = Set.of(401, 404, 405);

  private final OpenApiInteractionValidator validator;
  private final String source;

  private ApiContract(String document, String source) {
    this.validator =
        OpenApiInteractionValidator.createForInlineApiSpecification(document)
            .withLevelResolver(
                LevelResolver.create()
                    .withLevel(
                        "validation.request.parameter.query.unexpected",
                        ValidationReport.Level.ERROR)
                    .build())
            .build();
    this.source = source;
  }

  /** The contract of the Berth whose application root is {@code base}, fetched once. */
  static ApiContract of(URI base, HttpClient client) {
    return BY_SERVER.computeIfAbsent(base, b -> fetch(b, client));
  }

  /**
   * Checks one exchange; {@code apiPath} is the request's path below the application, starting
   * {@code /api/}. A request Berth accepted is checked with its answer, a refused one only by its
   * answer.
   *
   * @throws AssertionError when the exchange is not what the document says
   */
  void check(String apiPath, HttpRequest request, HttpResponse<String> response) {
    int status = response.statusCode();
    check(apiPath, request, response, status >= 200 && status < 300);
  }

  /**
   * As {@link #check}, but only the answer: for a request that is malformed on purpose and that
   * Berth may still accept.
   */
  void checkAnswer(String apiPath, HttpRequest request, HttpResponse<String> response) {
    check(apiPath, request, response, false);
  }

  private void check(
      String apiPath, HttpRequest request, HttpResponse<String> response, boolean withRequest) {
    Request.Method method = Request.Method.valueOf(request.method());
    SimpleResponse.Builder answer =
        new SimpleResponse.Builder(response.statusCode()).withBody(response.body());
    response.headers().map().forEach(answer::withHeader);
    int status = response.statusCode();
    ValidationReport report =
        withRequest
            ? validator.validate(sent(apiPath, request), answer.build())
            : validator.validateResponse(apiPath, method, answer.build());
    List<ValidationReport.Message> errors =
        report.getMessages().stream()
            .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
            .filter(m -> !isEmptyText(m, response))
            .toList();
    if (errors.isEmpty()) {
      return;
    }
    if (NO_SUCH_OPERATION.contains(status) && undocumented(errors) && isApiError(response)) {
      return; // the document has no such operation, and Berth says so
    }
    throw new AssertionError(
        request.method()
            + " "
            + apiPath
            + operationId(report)
            + " answered "
            + status
            + " in a way "
            + source
            + " does not describe:\n  "
            + errors.stream()
                .map(m -> m.getKey() + ": " + m.getMessage() + nested(m))
                .collect(Collectors.joining("\n  "))
            + "\nanswer: "
            + abbreviate(response.body()));
  }

  /**
   * An empty answer where the document gives a media type without a schema, such as the jump host's
   * {@code text/plain} for someone with nothing to let in: an empty text. OpenAPI 3.0 cannot tell
   * an empty body from none, and the validator reports it as a missing body; nothing else is let
   * through this way.
   */
  private static boolean isEmptyText(ValidationReport.Message m, HttpResponse<String> response) {
    return m.getKey().equals("validation.response.body.missing")
        && response.body().isEmpty()
        && m.getContext()
            .flatMap(c -> c.getApiResponseDefinition())
            .map(
                r ->
                    r.getContent() != null
                        && !r.getContent().isEmpty()
                        && r.getContent().values().stream().allMatch(t -> t.getSchema() == null))
            .orElse(false);
  }

  private static SimpleRequest sent(String apiPath, HttpRequest request) {
    SimpleRequest.Builder sent = new SimpleRequest.Builder(request.method(), apiPath);
    request.headers().map().forEach(sent::withHeader);
    String query = request.uri().getRawQuery();
    if (query != null && !query.isEmpty()) {
      Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
      parameters.forEach(sent::withQueryParam);
    }
    body(request).ifPresent(sent::withBody);
    return sent.build();
  }

  /** The bytes of the request's body, read again from its publisher; empty when there is none. */
  private static Optional<byte[]> body(HttpRequest request) {
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
      return Optional.empty();
    }
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    publisher
        .get()
        .subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              private final java.io.ByteArrayOutputStream bytes =
                  new java.io.ByteArrayOutputStream();

              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
              }

              @Override
              public void onError(Throwable throwable) {
                read.completeExceptionally(throwable);
              }

              @Override
              public void onComplete() {
                read.complete(bytes.toByteArray());
              }
            });
    try {
      byte[] bytes = read.get(10, TimeUnit.SECONDS);
      return bytes.length == 0 ? Optional.empty() : Optional.of(bytes);
    } catch (Exception e) {
      throw new AssertionError("could not read again the body sent to " + request.uri(), e);
    }
  }

  private static boolean undocumented(List<ValidationReport.Message> errors) {
    return errors.stream()
        .allMatch(
            m ->
                m.getKey().equals("validation.request.path.missing")
                    || m.getKey().equals("validation.request.operation.notAllowed"));
  }

  /** Whether the body is the API's error shape: {@code error} and {@code message}, nothing else. */
  private static boolean isApiError(HttpResponse<String> response) {
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      JsonObject error = reader.readObject();
      return error.get("error") instanceof JsonString
          && error.get("message") instanceof JsonString
          && Set.of("error", "message").containsAll(error.keySet());
    } catch (JsonException | IllegalStateException e) {
      return false;
    }
  }

  private static String operationId(ValidationReport report) {
    return report.getMessages().stream()
        .flatMap(m -> m.getContext().flatMap(c -> c.getApiOperation()).stream())
        .map(o -> o.getOperation().getOperationId())
        .filter(id -> id != null)
        .findFirst()
        .map(id -> " (" + id + ")")
        .orElse("");
  }

  private static String nested(ValidationReport.Message m) {
    return m.getNestedMessages().isEmpty()
        ? ""
        : m.getNestedMessages().stream()
            .map(n -> n.getMessage() + nested(n))
            .collect(Collectors.joining("; ", " [", "]"));
  }

  private static ApiContract fetch(URI base, HttpClient client) {
    for (URI at : List.of(base.resolve("openapi"), base.resolve("/openapi"))) {
      try {
        HttpResponse<String> served =
            client.send(
                HttpRequest.newBuilder(at)
                    .header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (served.statusCode() == 200 && served.body().startsWith("{\"openapi\"")) {
          return new ApiContract(withoutRuntimeAdditions(served.body()), "the document at " + at);
        }
      } catch (IOException e) {
        throw new AssertionError("could not fetch the API's description from " + at, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return new ApiContract(bundled(), "the WAR's META-INF/openapi.yaml");
  }

  /**
   * The served document without the top-level {@code endpoints} member Payara Micro adds (a list of
   * the application's paths; not an OpenAPI field, so strict parsers such as the validator's refuse
   * the document with it). Everything else is served as written.
   */
  static String withoutRuntimeAdditions(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return Json.createObjectBuilder(reader.readObject()).remove("endpoints").build().toString();
    }
  }

  /** The document inside the WAR under test. */
  private static String bundled() {
    String war = System.getProperty("berth.war");
    if (war == null) {
      throw new AssertionError("Berth serves no /openapi and berth.war is not set");
    }
    try (ZipFile zip = new ZipFile(Path.of(war).toFile())) {
      var entry = zip.getEntry("WEB-INF/classes/META-INF/openapi.yaml");
      if (entry == null) {
        throw new AssertionError(war + " holds no META-INF/openapi.yaml");
      }
      try (var in = zip.getInputStream(entry)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() > 600 ? s.substring(0, 600) + "…" : s;
  }
}
