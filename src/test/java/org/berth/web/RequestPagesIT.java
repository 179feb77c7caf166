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
import java.util.Locale;
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
        // Every page's navigation counts the requests that wait, alice's among them.
        assertThat(Integer.parseInt(page.findElement(By.id("navWaiting")).getText())).isPositive();
        page.findElement(By.id("navAdmin")).click();
        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("waiting")));
        assertThat(page.findElement(By.id("navAdmin")).getDomAttribute("aria-current"))
            .isEqualTo("page");
        assertThat(page.findElement(By.id("waiting")).getText())
            .matches("(One request waits|\\d+ requests wait) for approval\\.");

        page.findElement(By.id("approvalsLink")).click();
        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("queue:requests")));
        WebElement row = rowNamed(page, name);
        assertThat(row.getText()).contains("alice", "debian-12", host);
        // Why it waits (2 cores against the 1 approved at once), and what alice already holds.
        assertThat(row.findElement(By.xpath(".//*[contains(@id, ':why')]")).getText())
            .contains("Needs an admin:", "2 cores, more than the 1 approved at once");
        assertThat(row.findElement(By.xpath(".//*[contains(@id, ':uses')]")).getText())
            .containsPattern("alice uses [\\d,]+ of [\\d,]+ guests, [\\d,]+ of [\\d,]+ cores");
        browser.screenshot("approvals-queue");
        row.findElement(By.xpath(".//button[contains(@id, ':approve')]")).click();

        wait(page)
            .until(
                ExpectedConditions.textToBePresentInElementLocated(
                    By.id("messages"), "Approved " + name + "."));
        assertThat(page.findElement(By.id("queue:requests")).getText()).doesNotContain(name);

        // The audit trail across requests, filtered by who and what.
        page.get(app.resolve("admin/audit.xhtml").toString());
        new org.openqa.selenium.support.ui.Select(page.findElement(By.id("audit:actor_input")))
            .selectByValue("admin");
        page.findElement(By.id("audit:words")).sendKeys(name);
        page.findElement(By.id("audit:apply")).click();
        wait(page)
            .until(
                ExpectedConditions.textToBePresentInElementLocated(
                    By.id("audit:lines"), "submitted → approved"));
        assertThat(page.findElement(By.id("audit:lines")).getText())
            .contains(name, "alice", "admin")
            .doesNotContain("→ submitted");
        assertThat(page.findElement(By.id("audit:csv")).getDomAttribute("href"))
            .isEqualTo("audit.csv?actor=admin&words=" + name);
        browser.screenshot("admin-audit");
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
        assertThat(page.findElement(By.id("navGuests")).getDomProperty("className"))
            .contains("berth-nav-current");
        assertThat(page.findElement(By.id("navLedger")).getDomProperty("className"))
            .doesNotContain("berth-nav-current");
        assertThat(page.findElement(By.id("quota")).getText())
            .containsPattern("[\\d,]+ of [\\d,]+ guests")
            .contains("GiB memory", "GiB disk");
        WebElement row = rowNamed(page, name);
        // Approved, and provisioning on the simulated cluster may already have made it ready.
        assertThat(row.findElement(By.xpath(".//*[contains(@id, ':state')]")).getText())
            .isIn("Approved", "Provisioning", "Ready");
        assertThat(row.getText()).contains(host);
        assertThat(row.findElement(By.xpath(".//*[contains(@id, ':leaseLeft')]")).getText())
            .matches("in 1[34] days");

        // Extending shows the lease's end now and the latest end it may have.
        row.findElement(By.xpath(".//button[contains(@id, ':extend')]")).click();
        wait(page).until(ExpectedConditions.visibilityOfElementLocated(By.id("currentEnd")));
        assertThat(page.findElement(By.id("currentEnd")).getText())
            .matches(".*UTC \\(in 1[34] days\\)");
        assertThat(page.findElement(By.id("latestEnd")).getText())
            .containsPattern(
                "Extend by at most \\d+ days: a lease ends at most \\d+ days from today");
        browser.screenshot("my-guests-approved");
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("my-guests-failure");
        throw e;
      }
    }
    JsonObject approved = onlyRequestNamed(name);
    assertThat(approved.getString("state")).isIn("APPROVED", "PROVISIONING", "READY");

    // Its MAC and its IPv4 address, typed whole (the MAC in capitals), find it too.
    for (String address :
        List.of(
            approved.getJsonObject("address").getString("mac").toUpperCase(java.util.Locale.ROOT),
            approved.getJsonObject("address").getString("ipv4"))) {
      JsonObject found =
          Http.json(
              http.get(
                  "api/requests?q=" + URLEncoder.encode(address, StandardCharsets.UTF_8),
                  "alice",
                  "alice"));
      assertThat(found.getInt("total")).as(address).isEqualTo(1);
      assertThat(found.getJsonArray("requests").getJsonObject(0).getString("name")).isEqualTo(name);
    }

    // The same lines as CSV, for admins only.
    Http admin = new Http(app);
    admin.signIn("admin", "admin");
    HttpResponse<String> csv = admin.get("admin/audit.csv?words=" + name);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(csv.body())
        .startsWith("time,request,name,owner,actor,from,to,reason\r\n")
        .contains("\"" + name + "\",\"alice\",\"admin\",\"SUBMITTED\",\"APPROVED\"");
    Http alice = new Http(app);
    alice.signIn("alice", "alice");
    assertThat(alice.get("admin/audit.csv").statusCode()).isEqualTo(403);

    Http bob = new Http(app);
    bob.signIn("bob", "bob");
    HttpResponse<String> notHis = bob.get("requests/view.xhtml?id=" + approved.getInt("id"));
    assertThat(notHis.statusCode()).isEqualTo(404);
    assertThat(notHis.body()).contains("There is no such request").doesNotContain(name, host);
  }

  /**
   * Each step is checked as it is left, by the rules of submitting: a broken name keeps the wizard
   * on the first step with the rule beside the name, and fixing it lets the wizard go on with the
   * step's red outline gone; a later step clicked in the step list opens only as far as the steps
   * before it are valid; the size step says whether an admin must approve the size; the quota is
   * shown before the first step; nothing is stored.
   */
  @Test
  void theWizardChecksEachStepAsItIsLeftAndStoresNothingUntilSubmitted() {
    int before = Http.json(http.get("api/requests?limit=1", "alice", "alice")).getInt("total");
    JsonObject quota = Http.json(http.get("api/quotas/alice", "admin", "admin"));
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        signIn(page, "alice");
        page.get(app.resolve("requests/new.xhtml").toString());
        // Numbers as the page writes them, in English: 1,000.
        java.text.NumberFormat english = java.text.NumberFormat.getIntegerInstance(Locale.ENGLISH);
        JsonObject limits = quota.getJsonObject("limits");
        assertThat(page.findElement(By.id("quota")).getText())
            .containsPattern("[\\d,]+ of " + english.format(limits.getInt("guests")) + " guests")
            .containsPattern("[\\d,]+ of " + english.format(limits.getInt("cores")) + " cores")
            .contains("GiB memory", "GiB disk");

        chooseTemplate(page, "debian-12");
        page.findElement(By.id("wizard:name")).sendKeys("Bad Name");
        page.findElement(By.id("wizard:next")).click();
        WebElement beside = wait(page).until(d -> errorBeside(d, "wizard:name"));
        assertThat(beside.getText()).contains("must be a DNS label");
        assertThat(page.findElements(By.id("wizard:step2"))).isEmpty();
        assertThat(stepItem(page, 1).getAttribute("class")).contains("berth-step-wrong");
        browser.screenshot("request-wizard-bad-name");

        page.findElement(By.id("wizard:name")).clear();
        page.findElement(By.id("wizard:name")).sendKeys("fixed-" + RUN);
        next(page, 2);
        assertThat(stepItem(page, 1).getAttribute("class")).doesNotContain("berth-step-wrong");

        // Step 5 asked for at once: step 3 has no ledger entry chosen yet, so the wizard stops
        // there.
        stepItem(page, 5).findElement(By.tagName("a")).click();
        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("wizard:step3")));
        assertThat(errorBeside(page, "wizard:entries")).isNotNull();
        assertThat(stepItem(page, 3).getAttribute("class")).contains("berth-step-wrong");

        stepItem(page, 2).findElement(By.tagName("a")).click();
        wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("wizard:step2")));
        // Within every size limit of auto-approval: only the lease (the demo's default of 14 days
        // against 7 approved at once) can still need an admin.
        size(page, "1", "1024", "10");
        By verdict = By.cssSelector("[id='wizard:sizeVerdict'] .ui-message");
        assertThat(
                wait(page)
                    .until(d -> d.findElements(verdict).isEmpty() ? null : d.findElement(verdict))
                    .getText())
            .doesNotContain("cores", "MiB", "GiB")
            .containsAnyOf("approved at once", "a lease of");
        size(page, "2", "1024", "10");
        wait(page)
            .until(
                ExpectedConditions.textToBePresentInElementLocated(
                    By.id("wizard:sizeVerdict"), "2 cores, more than the 1 approved at once"));
        assertThat(page.findElement(By.id("wizard:needsApproval")).getText())
            .contains("An admin approves this size");
        browser.screenshot("request-wizard-size-verdict");

        // A size the template does not allow keeps the wizard on the size step.
        size(page, "2", "1024", "20500");
        page.findElement(By.id("wizard:next")).click();
        assertThat(wait(page).until(d -> errorBeside(d, "wizard:disk")).getText())
            .contains("at most");
        assertThat(page.findElements(By.id("wizard:step3"))).isEmpty();
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("request-wizard-steps-failure");
        throw e;
      }
    }

    assertThat(Http.json(http.get("api/requests?limit=1", "alice", "alice")).getInt("total"))
        .isEqualTo(before);
  }

  @Test
  void aNameAnotherGuestHasIsShownBesideTheNameAsTheFirstStepIsLeft() {
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
        page.findElement(By.id("wizard:next")).click();

        WebElement beside = wait(page).until(d -> errorBeside(d, "wizard:name"));
        assertThat(beside.getText()).contains("is already used by another guest");
        assertThat(page.findElements(By.id("wizard:step2"))).isEmpty();
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("request-wizard-name-taken-failure");
        throw e;
      }
    } finally {
      http.call("DELETE", "api/requests/" + Http.json(bobs).getInt("id"), "bob", "bob", null);
    }
  }

  /**
   * A free ledger entry offers "Request a guest here", which starts the wizard with it chosen; once
   * a request holds it, its page links that request for its owner. An unknown entry is a 404 page
   * that keeps the navigation.
   */
  @Test
  void aLedgerEntryLeadsToTheRequestHoldingItOrOffersOneWhenFree() {
    JsonObject free =
        Http.json(http.get("api/ledger/entries?state=free&limit=1", "alice", "alice"))
            .getJsonArray("entries")
            .getJsonObject(0);
    String host = free.getString("host");
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        signIn(page, "alice");
        page.get(app.resolve("ledger/entry.xhtml?host=" + host).toString());
        page.findElement(By.xpath("//*[@id='requestGuest']/descendant-or-self::a")).click();
        wait(page).until(d -> d.findElement(By.id("preselected")));
        assertThat(page.findElement(By.id("preselected")).getText())
            .isEqualTo(
                "The guest gets the ledger entry " + host + "; the Network step can change it.");

        HttpResponse<String> held =
            http.call(
                "POST",
                "api/requests",
                "alice",
                "alice",
                "{\"kind\":\"container\",\"name\":\"holds-"
                    + RUN
                    + "\",\"template\":\"alpine-3.20-ct\",\"network\":{\"mode\":\"ledger\",\"host\":\""
                    + host
                    + "\"},\"sshKeys\":[\""
                    + ed25519("alice")
                    + "\"],\"leaseDays\":3,\"purpose\":\"holds an entry\"}");
        assertThat(held.statusCode()).as(held.body()).isEqualTo(201);
        long id = Http.json(held).getJsonNumber("id").longValue();
        try {
          page.get(app.resolve("ledger/entry.xhtml?host=" + host).toString());
          WebElement link = page.findElement(By.id("holdingRequest"));
          assertThat(link.getText()).startsWith("Request " + id + ": holds-" + RUN + " (");
          assertThat(page.findElements(By.id("requestGuest"))).isEmpty();
          link.click();
          wait(page).until(d -> d.getCurrentUrl().contains("id=" + id));
        } finally {
          http.call("DELETE", "api/requests/" + id, "alice", "alice", null);
        }

        page.get(app.resolve("ledger/entry.xhtml?host=no-such-entry.example.org").toString());
        assertThat(page.findElement(By.id("notFound")).getText())
            .startsWith("The ledger has no entry no-such-entry.example.org.");
        assertThat(page.findElement(By.id("navLedger")).isDisplayed()).isTrue();
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("ledger-entry-links-failure");
        throw e;
      }
    }
  }

  /** A rejected request says that no guest was made, and that it has no lease. */
  @Test
  void aRejectedRequestSaysNoGuestWasMade() {
    HttpResponse<String> filed =
        http.call(
            "POST",
            "api/requests",
            "alice",
            "alice",
            "{\"kind\":\"vm\",\"name\":\"rejected-"
                + RUN
                + "\",\"template\":\"debian-12\",\"cores\":2,\"network\":{\"mode\":\"nat\"},"
                + "\"sshKeys\":[\""
                + ed25519("alice")
                + "\"],\"leaseDays\":3,\"purpose\":\"to be rejected\"}");
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    long id = Http.json(filed).getJsonNumber("id").longValue();
    HttpResponse<String> rejected =
        http.call(
            "POST", "api/requests/" + id + "/reject", "admin", "admin", "{\"reason\":\"no room\"}");
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      signIn(page, "alice");
      page.get(app.resolve("requests/view.xhtml?id=" + id).toString());
      assertThat(page.findElement(By.id("noGuest")).getText())
          .isEqualTo("No guest was created: the request was rejected.");
      assertThat(page.findElement(By.id("leaseEnds")).getText())
          .isEqualTo("None: the request never had a guest.");
    }
  }

  // The wizard.

  private void chooseTemplate(WebDriver page, String template) {
    page.findElement(By.xpath("//label[starts-with(normalize-space(), '" + template + " ')]"))
        .click();
  }

  /** The rule shown beside an input, or null while there is none. */
  private static WebElement errorBeside(WebDriver page, String input) {
    List<WebElement> found =
        page.findElements(
            By.xpath("//*[@id='" + input + "']/../*[contains(@class, 'ui-message-error')]"));
    return found.isEmpty() ? null : found.get(0);
  }

  /** The step list's item of step {@code n}. */
  private static WebElement stepItem(WebDriver page, int n) {
    return page.findElements(By.cssSelector("#steps > li")).get(n - 1);
  }

  /** Types a size; each input's change reaches the server, as leaving the field does. */
  private static void size(WebDriver page, String cores, String memory, String disk) {
    for (String[] field :
        new String[][] {
          {"wizard:cores", cores}, {"wizard:memory", memory}, {"wizard:disk", disk}
        }) {
      WebElement input = page.findElement(By.id(field[0]));
      if (!field[1].equals(input.getAttribute("value"))) {
        input.clear();
        input.sendKeys(field[1]);
        input.sendKeys(org.openqa.selenium.Keys.TAB);
      }
    }
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
