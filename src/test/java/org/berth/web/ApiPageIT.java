package org.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.berth.testing.Browser;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Where script writers find the API: its description at {@code /openapi} for anyone, as YAML and as
 * JSON, and the portal's API page, where a signed-in developer reads Swagger UI's list of
 * operations and calls one with a personal API token.
 */
class ApiPageIT {

  /** Other IT classes share the database: names are new each run. */
  static final String RUN = DemoBerth.RUN;

  final Http http = DemoBerth.http();
  final URI app = http.uri("");

  @Test
  void anyoneGetsTheDescriptionAsWrittenInYamlOrJson() throws IOException {
    HttpResponse<String> yaml = http.get("openapi");

    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.body()).startsWith("openapi: 3.0.3");
    // As written, but for the list of the application's paths that Payara Micro adds.
    Map<String, Object> served = load(yaml.body());
    assertThat(served.remove("endpoints")).isNotNull();
    assertThat(served).isEqualTo(load(bundled()));

    HttpResponse<String> json =
        http.send(
            HttpRequest.newBuilder(http.uri("openapi"))
                .header("Accept", "application/json")
                .GET()
                .build());
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject document = Http.json(json);
    assertThat(document.getString("openapi")).isEqualTo("3.0.3");
    assertThat(document.getJsonObject("paths").keySet())
        .isEqualTo(served.get("paths") instanceof Map<?, ?> p ? p.keySet() : null);

    HttpResponse<String> query = http.get("openapi?format=JSON");
    assertThat(query.statusCode()).isEqualTo(200);
    assertThat(Http.json(query).getString("openapi")).isEqualTo("3.0.3");
  }

  @Test
  void theServerUrlOfTheDescriptionReachesTheApi() {
    JsonObject document =
        Http.json(
            http.send(
                HttpRequest.newBuilder(http.uri("openapi"))
                    .header("Accept", "application/json")
                    .GET()
                    .build()));
    String server = document.getJsonArray("servers").getJsonObject(0).getString("url");
    URI api = http.uri("openapi").resolve(server).resolve("api/me");

    HttpResponse<String> me =
        http.send(
            HttpRequest.newBuilder(api)
                .header("Authorization", Http.basic("alice", "alice"))
                .GET()
                .build());

    assertThat(api).isEqualTo(http.uri("api/me"));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(Http.json(me).getString("username")).isEqualTo("alice");
  }

  @Test
  void theApiPageAndSwaggerUiAreForSignedInPeople() {
    String bundle = new ApiPage().getSwaggerUi().substring(1) + "/swagger-ui-bundle.js";
    for (String path : new String[] {"api.xhtml", bundle}) {
      HttpResponse<String> anonymous = http.get(path);

      assertThat(anonymous.statusCode()).as(path).isEqualTo(302);
      assertThat(anonymous.headers().firstValue("Location")).hasValue(app + "login.xhtml");
    }
  }

  @Test
  void aDeveloperFindsTheOperationsAndCallsOneWithAPersonalToken() {
    HttpResponse<String> created =
        http.call(
            "POST",
            "api/me/tokens",
            "alice",
            "alice",
            "{\"name\":\"api-page-" + RUN + "\",\"expiresInDays\":1,\"scope\":\"read\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String token = Http.json(created).getString("token");
    long id = Http.json(created).getJsonNumber("id").longValue();
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        signIn(page, "alice");
        page.findElement(By.id("navApi")).click();
        wait(page)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.id("operations-requests-listRequests")));

        assertThat(page.findElement(By.id("apiToken")).getText())
            .contains("Profile → Personal API tokens", "Authorize");
        assertThat(page.findElement(By.id("tokensLink")).getAttribute("href"))
            .endsWith("/profile.xhtml#tokensTitle");
        assertThat(
                page.findElements(By.cssSelector(".opblock-summary-path")).stream()
                    .map(e -> e.getAttribute("data-path"))
                    .toList())
            .contains("/api/requests", "/api/requests/{id}", "/api/me", "/api/ledger/entries");
        browser.screenshot("api-page");

        page.findElement(By.cssSelector(".auth-wrapper .authorize")).click();
        WebElement personal =
            wait(page)
                .until(
                    ExpectedConditions.visibilityOfElementLocated(
                        By.xpath(
                            "//div[contains(@class,'auth-container')][.//h4[contains(., 'personalToken')]]")));
        personal.findElement(By.cssSelector("input")).sendKeys(token);
        personal.findElement(By.cssSelector("button.authorize")).click();
        page.findElement(By.cssSelector(".modal-ux .close-modal")).click();

        WebElement me = page.findElement(By.id("operations-me-getMe"));
        me.findElement(By.cssSelector(".opblock-summary-control")).click();
        wait(page).until(d -> !me.findElements(By.cssSelector(".try-out__btn")).isEmpty());
        me.findElement(By.cssSelector(".try-out__btn")).click();
        me.findElement(By.cssSelector(".execute")).click();
        WebElement status =
            wait(page)
                .until(
                    d ->
                        me
                            .findElements(
                                By.cssSelector(
                                    ".live-responses-table tr.response .response-col_status"))
                            .stream()
                            .findFirst()
                            .orElse(null));
        ((org.openqa.selenium.JavascriptExecutor) page)
            .executeScript("arguments[0].scrollIntoView({block: 'center'})", status);
        browser.screenshot("api-page-try-it-out");

        assertThat(status.getText()).startsWith("200");
        assertThat(
                me.findElement(
                        By.cssSelector(
                            ".live-responses-table tr.response .response-col_description"))
                    .getText())
            .contains("\"username\": \"alice\"");
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("api-page-failure");
        throw e;
      }
    } finally {
      http.call("DELETE", "api/me/tokens/" + id, "alice", "alice", null);
    }
  }

  private void signIn(WebDriver page, String user) {
    Browser.signIn(page, app, user);
  }

  private static WebDriverWait wait(WebDriver page) {
    return new WebDriverWait(page, Duration.ofSeconds(30));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(String yaml) {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
  }

  private static String bundled() throws IOException {
    try (InputStream in =
        ApiPageIT.class.getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
