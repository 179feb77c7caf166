package org.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.berth.testing.Browser;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page of the portal on a phone, 390 CSS pixels wide: the page never scrolls sideways (a wide
 * table may scroll inside its own frame), and the navigation is all there to tap.
 */
class PhoneWidthIT {

  /** The pages, as an admin sees them (an admin sees every page a developer does, and more). */
  static final List<String> PAGES =
      List.of(
          "guests/index.xhtml",
          "requests/new.xhtml",
          "ledger/index.xhtml",
          "profile.xhtml",
          "api.xhtml",
          "admin/index.xhtml",
          "admin/approvals.xhtml",
          "admin/requests.xhtml",
          "admin/audit.xhtml",
          "admin/hypervisor.xhtml",
          "admin/reconciliation.xhtml",
          "admin/templates.xhtml",
          "admin/quotas.xhtml",
          "admin/people.xhtml",
          "admin/ledger.xhtml",
          "admin/outbox.xhtml");

  /** The page's width beyond the screen's, and the elements that stick out, if any. */
  private static final String OVERFLOW =
      "const w = document.documentElement.clientWidth;"
          + "const out = [];"
          + "for (const e of document.querySelectorAll('body *')) {"
          + "  const r = e.getBoundingClientRect();"
          + "  if (r.width === 0 || r.right <= w + 1) continue;"
          + "  let clipped = false;"
          + "  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {"
          + "    const s = getComputedStyle(p);"
          + "    if (s.overflowX !== 'visible' && p.getBoundingClientRect().right <= w + 1) {"
          + "      clipped = true; break; }"
          + "  }"
          + "  if (!clipped) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
          + "      + (e.className && typeof e.className === 'string'"
          + "          ? '.' + e.className.trim().split(/\\s+/).slice(0, 2).join('.') : '')"
          + "      + ' ' + Math.round(r.right) + 'px');"
          + "}"
          + "return (document.documentElement.scrollWidth - w) + ' ' + out.slice(0, 5).join(', ');";

  final Http http = DemoBerth.readyFor("admin");
  final URI app = http.uri("");

  @Test
  void noPageScrollsSidewaysOnAPhone() {
    // A guest of alice's, so that a request's page (with its guest, access and snapshots) is seen.
    HttpResponse<String> filed =
        http.call(
            "POST",
            "api/requests",
            "admin",
            "admin",
            "{\"kind\":\"container\",\"name\":\"phone-"
                + Long.toString(System.nanoTime(), 36)
                + "\",\"template\":\"alpine-3.20-ct\",\"network\":{\"mode\":\"nat\",\"httpPort\":80},"
                + "\"sshKeys\":[\""
                + TestKeys.ed25519("admin@phone")
                + "\"],\"leaseDays\":3,\"purpose\":\"seen on a phone\"}");
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    long id = Http.json(filed).getJsonNumber("id").longValue();
    JsonObject ready = http.awaitRequest("admin", id, "READY");
    String host =
        Http.json(http.get("api/ledger/entries?limit=1", "admin", "admin"))
            .getJsonArray("entries")
            .getJsonObject(0)
            .getString("host");
    List<String> pages = new ArrayList<>(PAGES);
    pages.add("requests/view.xhtml?id=" + ready.getJsonNumber("id"));
    pages.add("ledger/entry.xhtml?host=" + host);

    List<String> wide = new ArrayList<>();
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      try {
        browser.phone();
        Browser.signIn(page, app, "admin");
        for (String path : pages) {
          page.get(app.resolve(path).toString());
          new WebDriverWait(page, java.time.Duration.ofSeconds(20))
              .until(ExpectedConditions.presenceOfElementLocated(By.id("nav")));
          String overflow = (String) ((JavascriptExecutor) page).executeScript(OVERFLOW);
          if (!overflow.startsWith("0 ")) {
            wide.add(path + ": " + overflow);
            browser.screenshot("phone-" + path.replaceAll("[^a-z]+", "-"));
          }
          // Every link of the navigation is on the screen, to be tapped.
          for (String link : List.of("navGuests", "navRequest", "navLedger", "navAdmin")) {
            var box = page.findElement(By.id(link)).getRect();
            assertThat(box.getX() + box.getWidth()).as(path + " " + link).isLessThanOrEqualTo(390);
          }
        }
        page.get(app.resolve("guests/index.xhtml").toString());
        browser.screenshot("phone-my-guests");
      } finally {
        http.call("DELETE", "api/requests/" + id, "admin", "admin", null);
      }
    }
    assertThat(wide).as("pages wider than a 390 px phone").isEmpty();
  }
}
