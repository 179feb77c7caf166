package org.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.berth.testing.Browser;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The request pages in a real browser against the deployed application: a developer files a request
 * through the wizard, an admin approves it from the queue, and the developer sees it approved; a
 * broken rule is shown beside its input and nothing is stored.
 */
class RequestPagesIT {

  /** Other IT classes share the database and the ledger: names are new each run. */
  static final String RUN = DemoBerth.RUN;

  /** Ledger entries no other IT class uses. */
  static final String ENTRIES = "pvm06";

  final Http http = DemoBerth.readyFor();
  final URI app = http.uri("");

  @Test
  void aliceFilesAVmThroughTheWizardAndAnAdminApprovesItFromTheQueue() {
    String name = "page-" + RUN;
    String key = ed25519("alice@laptop");
    String host;
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        signIn(page, "alice");
        page.get(app.resolve("requests/new.xhtml").toString());

        chooseTemplate(page, "debian-12");
        page.findElement(By.id("wizard:name")).sendKeys(name);
        next(page, 2);
        assertThat(value(page, "wizard:cores")).isEqualTo("2");
        assertThat(value(page, "wizard:memory")).isEqualTo("2048");
        assertThat(value(page, "wizard:disk")).isEqualTo("20");
        next(page, 3);
        host = pickFreeEntry(page);
        browser.screenshot("request-wizard-network");
        next(page, 4);
        page.findElement(By.id("wizard:newKeys")).sendKeys(key);
        next(page, 5);
        assertThat(value(page, "wizard:leaseDays")).isNotBlank();
        page.findElement(By.id("wizard:purpose")).sendKeys("Browser test of the request pages");
        next(page, 6);
        assertThat(page.findElement(By.id("review")).getText())
            .contains(name, "debian-12", host, "2 cores, 2048 MiB memory, 20 GiB disk")
            .contains("ssh-ed25519 SHA256:");
        browser.screenshot("request-wizard-review");

        page.findElement(By.id("wizard:submit")).click();

        wait(page).until(ExpectedConditions.urlContains("/requests/view.xhtml?id="));
        assertThat(page.findElement(By.id("state")).getText()).isEqualToIgnoringCase("submitted");
        assertThat(page.findElement(By.id("address")).getText()).contains(host);
        assertThat(page.findElement(By.id("messages")).getText())
            .contains(name + " is submitted and waits for an admin");
        browser.screenshot("request-page-submitted");
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("request-wizard-failure");
        throw e;
      }
    }

    JsonObject stored = onlyRequestNamed(name);
    assertThat(stored.getString("state")).isEqualTo("SUBMITTED");
    assertThat(stored.getString("owner")).isEqualTo("alice");
    assertThat(stored.getJsonObject("network").getString("host")).isEqualTo(host);
    assertThat(stored.getJsonArray("sshKeys").getString(0)).isEqualTo(key);

    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        signIn(page, "admin");
        page.findElement(By.id("navAdmin")).click();
        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("waiting")));
        assertThat(page.findElement(By.id("waiting")).getText())
            .matches("(One request waits|\\d+ requests wait) for approval\\.");

        page.findElement(By.id("approvalsLink")).click();
        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("queue:requests")));
        WebElement row = rowNamed(page, name);
        assertThat(row.getText()).contains("alice", "debian-12", host);
        browser.screenshot("approvals-queue");
        row.findElement(By.xpath(".//button[contains(@id, ':approve')]")).click();

        wait(page)
            .until(
                ExpectedConditions.textToBePresentInElementLocated(
                    By.id("messages"), "Approved " + name + "."));
        assertThat(page.findElement(By.id("queue:requests")).getText()).doesNotContain(name);
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("approvals-failure");
        throw e;
      }
    }

    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        signIn(page, "alice");
        page.findElement(By.id("navGuests")).click();
        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("mine:guests")));
        WebElement row = rowNamed(page, name);
        // Approved, and provisioning on the simulated cluster may already have made it ready.
        assertThat(row.findElement(By.xpath(".//*[contains(@id, ':state')]")).getText())
            .isIn("Approved", "Provisioning", "Ready");
        assertThat(row.getText()).contains(host);
        browser.screenshot("my-guests-approved");
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("my-guests-failure");
        throw e;
      }
    }
    JsonObject approved = onlyRequestNamed(name);
    assertThat(approved.getString("state")).isIn("APPROVED", "PROVISIONING", "READY");

    Http bob = new Http(app);
    bob.signIn("bob", "bob");
    HttpResponse<String> notHis = bob.get("requests/view.xhtml?id=" + approved.getInt("id"));
    assertThat(notHis.statusCode()).isEqualTo(404);
    assertThat(notHis.body()).contains("There is no such request").doesNotContain(name, host);
  }

  @Test
  void theWizardShowsABrokenRuleBesideTheNameAndStoresNothing() {
    int before = Http.json(http.get("api/requests?limit=1", "alice", "alice")).getInt("total");
    String host;
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        signIn(page, "alice");
        page.get(app.resolve("requests/new.xhtml").toString());
        chooseTemplate(page, "debian-12");
        page.findElement(By.id("wizard:name")).sendKeys("Bad Name");
        next(page, 2);
        next(page, 3);
        host = pickFreeEntry(page);
        next(page, 4);
        page.findElement(By.id("wizard:newKeys")).sendKeys(ed25519("alice@laptop"));
        next(page, 5);
        page.findElement(By.id("wizard:purpose")).sendKeys("A name that breaks the rules");
        next(page, 6);

        page.findElement(By.id("wizard:submit")).click();

        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("wizard:step1")));
        assertThat(page.getCurrentUrl()).contains("/requests/new.xhtml");
        assertThat(page.findElement(By.id("messages")).getText())
            .contains("The request was not submitted: one field breaks a rule");
        WebElement beside =
            page.findElement(
                By.xpath(
                    "//input[@id='wizard:name']/following-sibling::*[contains(@class,"
                        + " 'ui-message-error')]"));
        assertThat(beside.getText()).contains("must be a DNS label");
        assertThat(value(page, "wizard:name")).isEqualTo("Bad Name");
        browser.screenshot("request-wizard-bad-name");
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("request-wizard-bad-name-failure");
        throw e;
      }
    }

    assertThat(Http.json(http.get("api/requests?limit=1", "alice", "alice")).getInt("total"))
        .isEqualTo(before);
    assertThat(
            Http.json(http.get("api/ledger/entries/" + host, "alice", "alice")).getString("state"))
        .isEqualTo("free");
  }

  @Test
  void aNameAnotherGuestHasIsShownBesideTheName() {
    String name = "taken-" + RUN;
    HttpResponse<String> bobs =
        http.call(
            "POST",
            "api/requests",
            "bob",
            "bob",
            "{\"kind\":\"container\",\"name\":\""
                + name
                + "\",\"template\":\"alpine-3.20-ct\","
                + "\"network\":{\"mode\":\"nat\"},\"sshKeys\":[\""
                + ed25519("bob")
                + "\"],"
                + "\"leaseDays\":3,\"purpose\":\"holds a name\"}");
    assertThat(bobs.statusCode()).as(bobs.body()).isEqualTo(201);
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        signIn(page, "alice");
        page.get(app.resolve("requests/new.xhtml").toString());
        chooseTemplate(page, "debian-12");
        page.findElement(By.id("wizard:name")).sendKeys(name);
        next(page, 2);
        next(page, 3);
        pickFreeEntry(page);
        next(page, 4);
        page.findElement(By.id("wizard:newKeys")).sendKeys(ed25519("alice@laptop"));
        next(page, 5);
        page.findElement(By.id("wizard:purpose")).sendKeys("Same name as bob's");
        next(page, 6);

        page.findElement(By.id("wizard:submit")).click();

        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("wizard:step1")));
        WebElement beside =
            page.findElement(
                By.xpath(
                    "//input[@id='wizard:name']/following-sibling::*[contains(@class,"
                        + " 'ui-message-error')]"));
        assertThat(beside.getText()).contains("is already used by another guest");
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("request-wizard-name-taken-failure");
        throw e;
      }
    } finally {
      http.call("DELETE", "api/requests/" + Http.json(bobs).getInt("id"), "bob", "bob", null);
    }
  }

  // The wizard.

  private void chooseTemplate(WebDriver page, String template) {
    page.findElement(By.xpath("//label[starts-with(normalize-space(), '" + template + " ')]"))
        .click();
  }

  /** Goes to the next step and waits for it. */
  private void next(WebDriver page, int step) {
    page.findElement(By.id("wizard:next")).click();
    wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("wizard:step" + step)));
  }

  /** Filters the free entries down to ours and picks the first; returns its host. */
  private String pickFreeEntry(WebDriver page) {
    page.findElement(By.id("wizard:entryFilter")).sendKeys(ENTRIES);
    By rows = By.cssSelector("[id='wizard:entries_data'] tr[data-ri]");
    wait(page)
        .until(
            d -> {
              List<WebElement> shown = d.findElements(rows);
              return !shown.isEmpty()
                  && shown.stream().allMatch(r -> r.getText().startsWith(ENTRIES));
            });
    WebElement first = page.findElements(rows).get(0).findElement(By.tagName("td"));
    String host = first.getText();
    first.click();
    wait(page)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("wizard:chosen"), host));
    return host;
  }

  // Helpers.

  private static WebElement rowNamed(WebDriver page, String name) {
    return page.findElement(By.xpath("//tr[.//a[normalize-space() = '" + name + "']]"));
  }

  private static String value(WebDriver page, String id) {
    return page.findElement(By.id(id)).getAttribute("value");
  }

  private JsonObject onlyRequestNamed(String name) {
    JsonObject list =
        Http.json(
            http.get(
                "api/requests?q=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                "alice",
                "alice"));
    assertThat(list.getInt("total")).isEqualTo(1);
    return list.getJsonArray("requests").getJsonObject(0);
  }

  private void signIn(WebDriver page, String user) {
    Browser.signIn(page, app, user);
  }

  private static WebDriverWait wait(WebDriver page) {
    return new WebDriverWait(page, Duration.ofSeconds(20));
  }

  /** A fresh ssh-ed25519 public key: the type and 32 random bytes, each length-prefixed. */
  static String ed25519(String comment) {
    byte[] point = new byte[32];
    new SecureRandom().nextBytes(point);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
      out.writeInt(type.length);
      out.write(type);
      out.writeInt(point.length);
      out.write(point);
      return "ssh-ed25519 "
          + Base64.getEncoder().encodeToString(bytes.toByteArray())
          + " "
          + comment;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
