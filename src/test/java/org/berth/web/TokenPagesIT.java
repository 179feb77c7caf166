package org.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import org.berth.testing.Browser;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Personal API tokens and blocking in a real browser against the deployed application: a developer
 * creates a token on the profile page, sees it once and calls the API with it; an admin finds it on
 * the people page and revokes it there, and blocks and unblocks someone.
 */
class TokenPagesIT {

  /** Other IT classes share the database: names are new each run. */
  static final String RUN = DemoBerth.RUN;

  final Http http = DemoBerth.http();
  final URI app = http.uri("");

  @Test
  void aReadTokenIsShownOnceOnlyReadsAndStopsWhenAnAdminRevokesIt() {
    String name = "ci-" + RUN;
    String token = null;
    try {
      long liveBefore;
      try (Browser browser = Browser.start()) {
        WebDriver page = browser.driver();
        try {
          signIn(page, "alice");
          liveBefore = liveTokens("alice");
          page.get(app.resolve("profile.xhtml").toString());

          assertThat(page.findElement(By.id("addToken:tokenDays")).getAttribute("value"))
              .isEqualTo("30");
          assertThat(text(page, "addToken:tokenScope_label")).isEqualTo("read: look only (GET)");
          page.findElement(By.id("addToken:tokenName")).sendKeys(name);
          page.findElement(By.id("addToken:createToken")).click();

          wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("newToken")));
          token = text(page, "newToken");
          assertThat(token).matches("berth_[A-Za-z0-9_-]{43}");
          assertThat(text(page, "copyNow"))
              .isEqualTo("Copy it now: Berth keeps only a hash and cannot show it again.");
          assertThat(text(page, "tokenUsage"))
              .isEqualTo("curl -H \"Authorization: Bearer <token>\" " + app + "api/me");
          assertThat(text(page, "messages")).contains("Created token " + name);
          assertThat(tokenRow(page, "tokenList:tokens", name).getText())
              .contains("read", token.substring(0, 10) + "…", "never");
          browser.screenshot("profile-new-token");

          page.get(app.resolve("profile.xhtml").toString());
          wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("tokenList:tokens")));
          assertThat(page.findElements(By.id("newToken"))).isEmpty();
          assertThat(page.getPageSource()).doesNotContain(token);
          assertThat(tokenRow(page, "tokenList:tokens", name).getText()).contains("read");
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot("profile-token-failure");
          throw e;
        }
      }

      HttpResponse<String> me = bearer("GET", "api/me", token, null);
      assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
      assertThat(Http.json(me).getString("username")).isEqualTo("alice");

      HttpResponse<String> write =
          bearer(
              "POST",
              "api/me/tokens",
              token,
              "{\"name\":\"minted-" + RUN + "\",\"expiresInDays\":1,\"scope\":\"write\"}");
      assertThat(write.statusCode()).as(write.body()).isEqualTo(403);
      assertThat(Http.json(write).getString("error")).isEqualTo("read_only_token");

      try (Browser browser = Browser.start()) {
        WebDriver page = browser.driver();
        try {
          openPeople(page);
          WebElement alice = personRow(page, "alice");
          assertThat(alice.findElement(By.cssSelector("[id$=':liveTokens']")).getText())
              .isEqualTo(Long.toString(liveBefore + 1));

          alice.findElement(By.cssSelector("[id$=':showTokens']")).click();
          wait(page)
              .until(ExpectedConditions.visibilityOfElementLocated(By.id("personTokens:tokens")));
          WebElement row = tokenRow(page, "personTokens:tokens", name);
          assertThat(row.getText()).contains("read", token.substring(0, 10) + "…");
          browser.screenshot("people-tokens");
          row.findElement(By.cssSelector("[id$=':revokePersonToken']")).click();
          confirm(page, "Revoke token " + name + "? Scripts using it stop working");

          until(page, d -> text(d, "messages").contains("Revoked token " + name + " of alice."));
          wait(page)
              .until(ExpectedConditions.visibilityOfElementLocated(By.id("personTokens:tokens")));
          assertThat(text(page, "personTokens:tokens")).doesNotContain(name);
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot("people-tokens-failure");
          throw e;
        }
      }

      HttpResponse<String> revoked = bearer("GET", "api/me", token, null);
      assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(401);
      token = null;
    } finally {
      if (token != null) {
        revokeAsAdmin("alice", name);
      }
    }
  }

  @Test
  void blockingSomeoneStopsTheirApiCallsUntilTheyAreUnblockedButNobodyBlocksThemselves() {
    HttpResponse<String> before = http.get("api/me", "bob", "bob");
    assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        openPeople(page);

        personRow(page, "admin").findElement(By.cssSelector("[id$=':block']")).click();
        confirm(page, "Block admin? Their pages, API tokens and jump host keys stop at once.");
        until(page, d -> text(d, "messages").contains("must not be your own"));
        assertThat(personRow(page, "admin").getText()).contains("Active");

        personRow(page, "bob").findElement(By.cssSelector("[id$=':block']")).click();
        confirm(page, "Block bob? Their pages, API tokens and jump host keys stop at once.");
        until(page, d -> text(d, "messages").contains("Blocked bob."));
        assertThat(personRow(page, "bob").getText()).contains("Blocked by admin");
        browser.screenshot("people-blocked");

        HttpResponse<String> blocked = http.get("api/me", "bob", "bob");
        assertThat(blocked.statusCode()).as(blocked.body()).isEqualTo(401);

        personRow(page, "bob").findElement(By.cssSelector("[id$=':unblock']")).click();
        until(page, d -> text(d, "messages").contains("Unblocked bob."));
        assertThat(personRow(page, "bob").getText()).contains("Active");

        HttpResponse<String> unblocked = http.get("api/me", "bob", "bob");
        assertThat(unblocked.statusCode()).as(unblocked.body()).isEqualTo(200);
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("people-block-failure");
        throw e;
      }
    } finally {
      http.call("DELETE", "api/people/bob/block", "admin", "admin", null);
    }
  }

  /** Signs in as the admin and goes to Admin, then People. */
  private void openPeople(WebDriver page) {
    signIn(page, "admin");
    page.findElement(By.id("navAdmin")).click();
    wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("peopleLink")));
    page.findElement(By.id("peopleLink")).click();
    wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("everyone:people")));
  }

  private long liveTokens(String username) {
    HttpResponse<String> person = http.get("api/people/" + username, "admin", "admin");
    assertThat(person.statusCode()).as(person.body()).isEqualTo(200);
    return Http.json(person).getJsonNumber("liveTokens").longValue();
  }

  /** Revokes {@code owner}'s token called {@code name} through the API, if it is still live. */
  private void revokeAsAdmin(String owner, String name) {
    HttpResponse<String> listed = http.get("api/people/" + owner + "/tokens", "admin", "admin");
    try (var reader = Json.createReader(new StringReader(listed.body()))) {
      reader.readArray().stream()
          .map(JsonObject.class::cast)
          .filter(t -> t.getString("name").equals(name))
          .forEach(
              t ->
                  http.call(
                      "DELETE",
                      "api/people/" + owner + "/tokens/" + t.getJsonNumber("id").longValue(),
                      "admin",
                      "admin",
                      null));
    }
  }

  /** Calls the API with a personal token, as a script would. */
  private HttpResponse<String> bearer(String method, String path, String token, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(app.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build();
    // A client of its own: no cookie of the other calls comes along.
    return DemoBerth.http().send(request);
  }

  private void signIn(WebDriver page, String user) {
    Browser.signIn(page, app, user);
  }

  /** Answers yes in the confirmation, after checking what it asks. */
  private static void confirm(WebDriver page, String question) {
    WebElement yes =
        wait(page)
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".ui-confirm-dialog .ui-confirmdialog-yes")));
    assertThat(page.findElement(By.cssSelector(".ui-confirm-dialog .ui-confirm-dialog-message")))
        .extracting(WebElement::getText)
        .asString()
        .startsWith(question);
    yes.click();
  }

  private static WebElement personRow(WebDriver page, String username) {
    return page.findElement(
        By.xpath(
            "//*[@id='everyone:people']//tbody/tr[td[1][normalize-space() = '" + username + "']]"));
  }

  private static WebElement tokenRow(WebDriver page, String table, String name) {
    return page.findElement(
        By.xpath("//*[@id='" + table + "']//tbody/tr[td[1][normalize-space() = '" + name + "']]"));
  }

  private static String text(WebDriver page, String id) {
    return page.findElement(By.id(id)).getText().strip();
  }

  /** Waits for what the page shows after a form is sent and the page reloads. */
  private static void until(WebDriver page, Function<WebDriver, Boolean> shown) {
    new WebDriverWait(page, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .ignoring(NoSuchElementException.class)
        .until(shown);
  }

  private static WebDriverWait wait(WebDriver page) {
    return new WebDriverWait(page, Duration.ofSeconds(20));
  }
}
