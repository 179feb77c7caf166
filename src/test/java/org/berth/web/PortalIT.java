package org.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.berth.testing.Browser;
import org.berth.testing.Curl;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The packaged WAR on Payara Micro with its embedded PostgreSQL migrated by Flyway (the shared
 * {@code DemoBerth}): the API, the health endpoint, access rules, and the portal in a real browser.
 */
class PortalIT {

  final URI app = DemoBerth.base();

  @Test
  void readinessIsUpWithTheMigratedDatabaseAndTheLedgerRead() {
    // Admins see every check; others only UP or DOWN (ProductionApiIT). The ledger is read in
    // the background after the deployment.
    new Http(app).awaitReady();
    HttpResponse<String> ready = new Http(app).get("health/ready", "admin", "admin");

    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject health = Http.json(ready);
    assertThat(health.getString("status")).isEqualTo("UP");
    JsonObject database =
        health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
            .filter(c -> c.getString("name").equals("database"))
            .findFirst()
            .orElseThrow();
    assertThat(database.getString("status")).isEqualTo("UP");
    assertThat(database.getJsonObject("data").getString("schema"))
        .startsWith("schema version " + newestMigration() + " on embedded PostgreSQL");
    assertThat(health.getJsonArray("checks").getValuesAs(JsonObject.class))
        .anySatisfy(
            c -> {
              assertThat(c.getString("name")).isEqualTo("ledger");
              assertThat(c.getString("status")).isEqualTo("UP");
            });
  }

  /** The version of the newest file in db/migration, such as 002. */
  static String newestMigration() {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("db", "migration"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("V\\d+__.*\\.sql"))
          .map(n -> n.substring(1, n.indexOf("__")))
          .max(java.util.Comparator.comparingInt(Integer::parseInt))
          .orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void apiTellsAliceWhoSheIs() {
    HttpResponse<String> me = new Http(app).get("api/me", "alice", "alice");

    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonObject body = Http.json(me);
    assertThat(body.getString("username")).isEqualTo("alice");
    assertThat(body.getString("displayName")).isEqualTo("Alice Example");
    assertThat(body.getJsonArray("roles").getValuesAs(v -> v.toString()))
        .containsExactly("\"developer\"");
  }

  @Test
  void apiGivesAdminTheAdminRole() {
    JsonObject body = Http.json(new Http(app).get("api/me", "admin", "admin"));

    assertThat(body.getJsonArray("roles").getValuesAs(v -> v.toString())).contains("\"admin\"");
  }

  @Test
  void apiRefusesAnonymousCallersWithJsonError() {
    HttpResponse<String> me = new Http(app).get("api/me");

    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(me.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
    assertThat(Http.json(me).getString("error")).isEqualTo("unauthorized");
    assertThat(Http.json(me).getString("message")).isNotBlank();
  }

  @Test
  void apiRefusesWrongPasswordWithJsonError() {
    HttpResponse<String> me = new Http(app).get("api/me", "alice", "bob");

    assertThat(me.statusCode()).isEqualTo(401);
    assertThat(Http.json(me).getString("error")).isEqualTo("unauthorized");
    assertThat(me.body()).doesNotContain("bob");
  }

  @Test
  void wrongPasswordsAreThrottledPerAccountAndThenPerAddress() {
    // From an address of its own, so that the other tests' calls from 127.0.0.1 go on.
    String url = app.resolve("api/me").toString();
    for (int i = 0; i < 10; i++) {
      assertThat(Curl.run("--interface", "127.0.0.2", "-u", "mallory:guess-" + i, url).status())
          .isEqualTo(401);
    }
    // The next guess for that account is refused before it is even checked.
    Curl.Answer throttled =
        Curl.run("--interface", "127.0.0.2", "-i", "-u", "mallory:guess-10", url);
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.body())
        .containsPattern("(?i)Retry-After: [1-9]")
        .contains("too_many_attempts");
    // Ten failures for one account do not lock out others at the same address.
    assertThat(Curl.run("--interface", "127.0.0.2", "-u", "alice:alice", url).status())
        .isEqualTo(200);

    // Past the limit of its address, every account is refused from there, and only there. The
    // shared Berth allows an address DemoBerth.FAILURES_PER_ADDRESS failures, far more than the
    // other tests make from 127.0.0.1; mallory's ten are spent above (the throttled eleventh is not
    // checked, so it does not count).
    List<List<String>> guesses = new ArrayList<>();
    for (int i = 0; i < DemoBerth.FAILURES_PER_ADDRESS - 10; i++) {
      guesses.add(List.of("--interface", "127.0.0.2", "-u", "nobody" + i + ":guess", url));
    }
    assertThat(Curl.statuses(guesses)).hasSize(guesses.size()).containsOnly(401);
    assertThat(Curl.run("--interface", "127.0.0.2", "-u", "bob:bob", url).status()).isEqualTo(429);
    assertThat(new Http(app).get("api/me", "bob", "bob").statusCode()).isEqualTo(200);
  }

  @Test
  void apiRefusesFormContentTypesAHostilePageCouldSend() {
    for (String type :
        List.of(
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain")) {
      HttpResponse<String> answer =
          new Http(app)
              .send(
                  java.net.http.HttpRequest.newBuilder(app.resolve("api/me/keys"))
                      .header("Authorization", Http.basic("alice", "alice"))
                      .header("Content-Type", type)
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString("label=x&key=y"))
                      .build());
      assertThat(answer.statusCode()).as(type).isEqualTo(415);
      assertThat(Http.json(answer).getString("error")).isEqualTo("unsupported_media_type");
    }
    assertThat(new Http(app).get("api/me/keys", "alice", "alice").body())
        .doesNotContain("\"label\":\"x\"");
  }

  @Test
  void apiRefusesAnonymousCallersEvenForUnknownPaths() {
    HttpResponse<String> response = new Http(app).get("api/no-such-thing");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(Http.json(response).getString("error")).isEqualTo("unauthorized");
  }

  @Test
  void apiAnswersUnknownPathsWithJsonNotFound() {
    HttpResponse<String> response = new Http(app).get("api/no-such-thing", "alice", "alice");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(Http.json(response).getString("error")).isEqualTo("not_found");
  }

  @Test
  void apiIgnoresThePortalSessionCookie() {
    Http alice = new Http(app);
    alice.signIn("alice", "alice");

    assertThat(alice.get("api/me").statusCode()).isEqualTo(401);
  }

  @Test
  void anonymousVisitorIsSentToSignIn() {
    HttpResponse<String> home = new Http(app).get("index.xhtml");

    assertThat(home.statusCode()).isEqualTo(302);
    assertThat(home.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login.xhtml"));
  }

  @Test
  void developerGetsForbiddenOnAdminPages() {
    Http alice = new Http(app);
    assertThat(alice.signIn("alice", "alice").statusCode()).isEqualTo(302);

    HttpResponse<String> admin = alice.get("admin/index.xhtml");

    assertThat(admin.statusCode()).isEqualTo(403);
    assertThat(admin.body()).contains("Not allowed");
  }

  @Test
  void adminOpensAdminPages() {
    Http admin = new Http(app);
    admin.signIn("admin", "admin");

    HttpResponse<String> page = admin.get("admin/index.xhtml");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("People who have signed in").contains("Ada Admin");
  }

  @Test
  void wrongPasswordOnSignInPageSignsNobodyIn() {
    Http visitor = new Http(app);
    HttpResponse<String> answer = visitor.signIn("alice", "wrong");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("Wrong user name or password");
    assertThat(visitor.get("index.xhtml").statusCode()).isEqualTo(302);
  }

  // In a real browser.

  @Test
  void aliceSignsInAndSeesHerHomePage() {
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      page.get(app.resolve("").toString());
      assertThat(page.getCurrentUrl()).endsWith("/login.xhtml");
      assertThat(page.findElement(By.id("demoNotice")).getText())
          .contains("alice / alice")
          .contains("demo");
      browser.screenshot("login");

      signIn(page, "alice", "alice");

      wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("greeting")));
      assertThat(page.findElement(By.id("greeting")).getText()).isEqualTo("Hello, Alice Example");
      assertThat(page.findElement(By.id("signedInAs")).getText())
          .isEqualTo("Signed in as alice, role developer.");
      assertThat(page.findElement(By.id("nav")).getText())
          .contains("My guests", "New request", "Ledger")
          .doesNotContain("Admin");
      assertThat(page.findElement(By.className("berth-demo")).getText()).isEqualTo("DEMO");
      browser.screenshot("home-alice");
    }
  }

  @Test
  void aliceCannotOpenAnAdminPage() {
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      page.get(app.resolve("login.xhtml").toString());
      signIn(page, "alice", "alice");
      wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("greeting")));

      page.get(app.resolve("admin/index.xhtml").toString());

      assertThat(page.findElement(By.id("errorTitle")).getText()).isEqualTo("Not allowed");
      assertThat(page.getPageSource()).doesNotContain("People who have signed in");
      browser.screenshot("admin-forbidden-alice");
    }
  }

  @Test
  void signInReturnsToThePageAskedForAndSignOutEndsTheSession() {
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      page.get(app.resolve("ledger/index.xhtml").toString());
      signIn(page, "bob", "bob");

      wait(page).until(ExpectedConditions.urlContains("/ledger/"));
      assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("Ledger");

      page.findElement(By.id("account:signOut")).click();
      wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("signedOut")));
      page.get(app.resolve("ledger/index.xhtml").toString());
      assertThat(page.getCurrentUrl()).endsWith("/login.xhtml");
    }
  }

  @Test
  void adminSeesTheAdminPageWithPeopleWhoSignedIn() {
    new Http(app).signIn("bob", "bob");
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      page.get(app.resolve("login.xhtml").toString());
      signIn(page, "admin", "admin");
      wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("navAdmin")));

      page.findElement(By.id("navAdmin")).click();

      wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("people")));
      assertThat(page.findElement(By.id("people")).getText())
          .contains("bob", "Bob Example", "developer");
      browser.screenshot("admin-people");
    }
  }

  private void signIn(WebDriver page, String user, String password) {
    page.findElement(By.id("login:username")).sendKeys(user);
    page.findElement(By.id("login:password")).sendKeys(password);
    page.findElement(By.id("login:submit")).click();
  }

  private WebDriverWait wait(WebDriver page) {
    return new WebDriverWait(page, Duration.ofSeconds(20));
  }
}
