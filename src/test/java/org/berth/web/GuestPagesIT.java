package org.berth.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import org.berth.testing.Browser;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The guest pages in a real browser against the deployed application and the simulated Proxmox
 * cluster it runs (0.3 s tasks): the owner watches a container come up on the request page and
 * stops it there; an admin sees it on the hypervisor page and checks the cluster from the
 * reconciliation page.
 */
class GuestPagesIT {

  /** Other IT classes share the database and the cluster: names are new each run. */
  static final String RUN = DemoBerth.RUN;

  static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

  final Http http = DemoBerth.readyFor("alice");
  final URI app = http.uri("");

  @Test
  void aliceWatchesHerContainerComeUpAndStopsItAndAnAdminFindsItOnTheCluster() {
    String name = "page-ct-" + RUN;
    long id =
        submit(
            "{\"kind\":\"container\",\"name\":\""
                + name
                + "\",\"template\":\"debian-12-ct\",\"cores\":1,\"memoryMiB\":1024,"
                + "\"diskGiB\":10,\"network\":{\"mode\":\"nat\",\"httpPort\":8080},\"sshKeys\":[\""
                + TestKeys.ed25519("alice@laptop")
                + "\"],\"leaseDays\":5,\"purpose\":\"page tests\"}");
    boolean deleted = false;
    try {
      String node;
      try (Browser browser = Browser.start()) {
        WebDriver page = browser.driver();
        try {
          signIn(page, "alice");
          page.get(app.resolve("requests/view.xhtml?id=" + id).toString());

          // The page polls while the guest is created and reloads once it is ready.
          until(page, d -> text(d, "state").equalsIgnoreCase("ready"));
          node = text(page, "guestNode");
          assertThat(node).matches("sim[123]");
          assertThat(text(page, "guestVmid")).matches("\\d+");
          assertThat(text(page, "guestKind")).isEqualTo("LXC container");
          assertThat(text(page, "guestPower")).isEqualToIgnoringCase("running");
          assertThat(text(page, "guestLog"))
              .containsIgnoringCase("Create")
              .containsIgnoringCase("done");
          assertThat(page.findElement(By.id("guest:start")).isEnabled()).isFalse();
          // How to reach it: the web address through the proxy, SSH through the jump host.
          assertThat(text(page, "accessUrl")).isEqualTo("https://" + name + ".guests.berth.test/");
          assertThat(text(page, "noProxy")).contains("No reverse proxy is configured");
          assertThat(text(page, "sshConfig"))
              .startsWith("Host " + name + "\n    HostName 10.77.0.")
              .contains("\n    User root\n")
              .endsWith("ProxyJump alice@jump.berth.test");
          assertThat(text(page, "sshHint")).contains("ssh " + name);
          // Copy says what it did: copied, or (where the browser keeps the clipboard to itself)
          // the block selected for copying by hand; then it reads Copy again.
          page.findElement(By.id("copySsh")).click();
          until(page, d -> !text(d, "copySsh").equals("Copy"));
          assertThat(text(page, "copySsh")).isIn("Copied", "Selected: copy it with Ctrl+C");
          assertThat(page.findElement(By.id("copySshStatus")).getDomProperty("textContent"))
              .isEqualTo(text(page, "copySsh"));
          until(page, d -> text(d, "copySsh").equals("Copy"));
          show(page, "access");
          browser.screenshot("guest-access");
          show(page, "guestSection");
          browser.screenshot("guest-ready");

          // Stop asks first, naming the guest; No leaves it running.
          page.findElement(By.id("guest:stop")).click();
          until(page, d -> d.findElement(By.id("confirm:no")).isDisplayed());
          assertThat(confirmation(page))
              .isEqualTo(
                  "Shut down "
                      + name
                      + "? Its operating system is asked to shut down; if it has not within 60"
                      + " seconds, it is switched off.");
          page.findElement(By.id("confirm:no")).click();
          until(page, d -> !d.findElement(By.id("confirm:no")).isDisplayed());
          assertThat(text(page, "guestPower")).isEqualToIgnoringCase("running");
          assertThat(text(page, "guestLog")).doesNotContainIgnoringCase("Shutdown");

          page.findElement(By.id("guest:stop")).click();
          until(page, d -> d.findElement(By.id("confirm:yes")).isDisplayed());
          page.findElement(By.id("confirm:yes")).click();
          until(page, d -> text(d, "messages").contains("Shutdown of " + name + " requested"));
          until(page, d -> text(d, "guestPower").equalsIgnoreCase("stopped"));
          assertThat(text(page, "guestLog")).containsIgnoringCase("Shutdown");
          assertThat(page.findElement(By.id("guest:start")).isEnabled()).isTrue();
          assertThat(page.findElement(By.id("guest:forceStop")).isEnabled()).isFalse();
          show(page, "guestSection");
          browser.screenshot("guest-stopped");

          // My guests shows the power state beside Ready.
          page.get(app.resolve("guests/index.xhtml").toString());
          assertThat(listedPower(page, name)).isEqualToIgnoringCase("stopped");

          // Started again, then switched off at once after a warning that names it.
          page.get(app.resolve("requests/view.xhtml?id=" + id).toString());
          page.findElement(By.id("guest:start")).click();
          until(page, d -> text(d, "guestPower").equalsIgnoreCase("running"));
          page.get(app.resolve("guests/index.xhtml").toString());
          assertThat(listedPower(page, name)).isEqualToIgnoringCase("running");
          page.get(app.resolve("requests/view.xhtml?id=" + id).toString());
          page.findElement(By.id("guest:forceStop")).click();
          until(page, d -> d.findElement(By.id("confirm:yes")).isDisplayed());
          assertThat(confirmation(page))
              .isEqualTo(
                  "Force stop "
                      + name
                      + "? It is switched off at once, like pulling the plug: whatever it has not"
                      + " saved is lost.");
          page.findElement(By.id("confirm:yes")).click();
          until(page, d -> text(d, "messages").contains("Force stop of " + name + " requested"));
          until(page, d -> text(d, "guestPower").equalsIgnoreCase("stopped"));
          assertThat(text(page, "guestLog")).contains("Force stop").contains("at once");

          // Snapshots: a bad name is refused beside its input, and nothing is taken.
          assertThat(text(page, "snapshotList:snapshots")).contains("No snapshots yet");
          page.findElement(By.id("snapshots:snapshotName")).sendKeys("Before Upgrade");
          page.findElement(By.id("snapshots:take")).click();
          until(page, d -> text(d, "snapshotSection").contains("must be 2 to 40 characters"));
          assertThat(text(page, "snapshotList:snapshots")).contains("No snapshots yet");

          page.findElement(By.id("snapshots:snapshotName")).clear();
          page.findElement(By.id("snapshots:snapshotName")).sendKeys("before-change");
          page.findElement(By.id("snapshots:take")).click();
          until(page, d -> text(d, "messages").contains("Snapshot before-change of " + name));
          until(page, d -> text(d, "snapshotList:snapshots").contains("before-change"));
          assertThat(text(page, "snapshotCount")).startsWith("1 snapshot of at most 3 kept.");
          assertThat(text(page, "snapshotList:snapshots")).contains("disk");
          show(page, "snapshotSection");
          browser.screenshot("guest-snapshots");

          // A change on the guest after the snapshot, which rolling back undoes.
          int vmid = Integer.parseInt(text(page, "guestVmid"));
          String memory = simulatedConfig(vmid, "memory");
          DemoBerth.SIM.editConfig(vmid, java.util.Map.of("memory", "3072"));
          assertThat(simulatedConfig(vmid, "memory")).isEqualTo("3072");
          page.findElement(By.xpath("//*[contains(@id, ':rollback')]/descendant-or-self::button"))
              .click();
          until(page, d -> d.findElement(By.id("confirm:yes")).isDisplayed());
          assertThat(confirmation(page))
              .startsWith(
                  "Roll " + name + " back to snapshot before-change? Everything that changed")
              .endsWith(" UTC is lost.");
          page.findElement(By.id("confirm:yes")).click();
          until(page, d -> text(d, "messages").contains("Rollback of " + name));
          until(page, d -> simulatedConfig(vmid, "memory").equals(memory));
          until(page, d -> text(d, "guestLog").contains("rolling"));

          // Deleting asks too, naming the snapshot and the guest.
          page.get(app.resolve("requests/view.xhtml?id=" + id).toString());
          page.findElement(
                  By.xpath("//*[contains(@id, ':deleteSnapshot')]/descendant-or-self::button"))
              .click();
          until(page, d -> d.findElement(By.id("confirm:yes")).isDisplayed());
          assertThat(confirmation(page))
              .isEqualTo(
                  "Delete snapshot before-change of " + name + "? The guest stays as it is.");
          page.findElement(By.id("confirm:yes")).click();
          until(page, d -> text(d, "snapshotList:snapshots").contains("No snapshots yet"));
          // Each asking is in the request's audit trail, with who asked.
          assertThat(text(page, "audit"))
              .contains("asked for snapshot before-change")
              .contains("asked to roll back to snapshot before-change")
              .contains("asked to delete snapshot before-change")
              .contains("alice");
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot("guest-page-failure");
          throw e;
        }
      }

      try (Browser browser = Browser.start()) {
        WebDriver page = browser.driver();
        try {
          signIn(page, "admin");
          page.findElement(By.id("navAdmin")).click();
          wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("hypervisorLink")));
          page.findElement(By.id("hypervisorLink")).click();
          wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("cluster:nodes")));

          assertThat(text(page, "simulatedBanner"))
              .contains("This is a simulated cluster, not real hardware.");
          assertThat(text(page, "description")).startsWith("Simulated Proxmox VE cluster at ");
          WebElement nodes = page.findElement(By.id("cluster:nodes"));
          assertThat(nodes.getText()).contains("sim1", "sim2", "sim3");
          WebElement guestRow =
              nodes.findElement(
                  By.xpath(".//tr[not(.//tr) and .//a[normalize-space() = '" + id + "']]"));
          assertThat(guestRow.getText())
              .contains(name, "LXC container")
              .containsIgnoringCase("stopped");
          browser.screenshot("admin-hypervisor");

          page.findElement(By.id("navAdmin")).click();
          wait(page)
              .until(ExpectedConditions.presenceOfElementLocated(By.id("reconciliationLink")));
          page.findElement(By.id("reconciliationLink")).click();
          wait(page).until(ExpectedConditions.presenceOfElementLocated(By.id("recon:checkNow")));
          assertThat(text(page, "intro")).contains("never deletes anything on its own");

          Instant clicked = Instant.now().truncatedTo(ChronoUnit.SECONDS);
          page.findElement(By.id("recon:checkNow")).click();

          until(page, d -> text(d, "messages").contains("Checked the cluster"));
          Instant checked =
              LocalDateTime.parse(text(page, "lastChecked"), SHOWN).toInstant(ZoneOffset.UTC);
          assertThat(checked).isBetween(clicked, Instant.now());
          assertThat(Integer.parseInt(text(page, "guestsSeen"))).isPositive();

          // A guest with Berth's tag that no request accounts for: deleting it names it first.
          HttpResponse<String> leftBehind =
              DemoBerth.SIM.send(
                  "POST",
                  "simulator/guests",
                  "{\"vmid\":99990,\"node\":\"sim1\",\"type\":\"lxc\",\"name\":\"left-behind\","
                      + "\"tags\":[\"berth\",\"berth-request-999999\"]}");
          assertThat(leftBehind.statusCode()).as(leftBehind.body()).isIn(200, 201);
          page.findElement(By.id("recon:checkNow")).click();
          until(page, d -> text(d, "recon:findings").contains("99990"));
          browser.screenshot("admin-reconciliation");
          WebElement finding =
              page.findElement(By.xpath("//tr[.//td[normalize-space() = '99990']]"));
          finding.findElement(By.xpath(".//*[contains(@id, ':deleteGuest')]")).click();
          until(
              page,
              d ->
                  d.findElements(By.cssSelector(".ui-confirm-dialog-message")).stream()
                      .anyMatch(WebElement::isDisplayed));
          assertThat(confirmation(page))
              .startsWith(
                  "Stop and delete VMID 99990 on sim1, with its disks? VMID 99990 ('left-behind'")
              .contains("carries Berth's tag for request 999999")
              .endsWith("This cannot be undone.");
          page.findElement(By.cssSelector(".ui-confirm-dialog .ui-confirmdialog-yes")).click();
          until(page, d -> DemoBerth.SIM.guest(99990).isEmpty());
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot("admin-guest-pages-failure");
          throw e;
        }
      }

      // Deleting from My guests asks for the guest's name on its page; a wrong one deletes nothing.
      try (Browser browser = Browser.start()) {
        WebDriver page = browser.driver();
        try {
          signIn(page, "alice");
          page.findElement(By.id("navGuests")).click();
          WebElement row =
              new WebDriverWait(page, Duration.ofSeconds(20))
                  .until(
                      d ->
                          d.findElement(
                              By.xpath("//tr[.//a[normalize-space() = '" + name + "']]")));
          // The list shows the template and the size: one core, in words that agree.
          assertThat(row.getText())
              .contains("debian-12-ct", "1 core, 1024 MiB memory, 10 GiB disk");
          row.findElement(By.xpath(".//*[contains(@id, ':delete')]/descendant-or-self::a")).click();
          until(page, d -> d.findElement(By.id("withdrawForm:confirmName")).isDisplayed());
          assertThat(page.findElement(By.id("withdrawDialog")).getText())
              .contains("Delete the guest " + name + "?");
          page.findElement(By.id("withdrawForm:confirmName")).sendKeys("page-ct");
          page.findElement(By.id("withdrawForm:confirmWithdraw")).click();
          until(
              page,
              d ->
                  d.findElement(By.id("withdrawDialog"))
                      .getText()
                      .contains("Type " + name + ", the guest's name, to delete it."));
          assertThat(Http.json(http.get("api/requests/" + id, "alice", "alice")).getString("state"))
              .isEqualTo("READY");
          browser.screenshot("delete-asks-for-the-name");

          page.findElement(By.id("withdrawForm:confirmName")).clear();
          page.findElement(By.id("withdrawForm:confirmName")).sendKeys(name);
          page.findElement(By.id("withdrawForm:confirmWithdraw")).click();
          until(page, d -> text(d, "messages").contains(name));
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot("delete-failure");
          throw e;
        }
      }
      deleted = true;
      awaitDeleted(id);
    } finally {
      if (!deleted) {
        http.call("DELETE", "api/requests/" + id, "alice", "alice", null);
      }
    }
  }

  /**
   * alice opens her VM's console on the simulated Proxmox VE cluster from the request page: the
   * terminal is the VM's serial port through termproxy, relayed by Berth. She types {@code
   * hostname} and reads the VM's name back, and the terminal has the browser's size. bob gets the
   * page's 404 and his WebSocket with her used ticket is refused. Stopping the VM closes the
   * console.
   */
  @Test
  void aliceTypesIntoHerVmsConsoleOnTheSimulatedClusterAndBobCannot() {
    String name = "console-vm-" + RUN;
    long id =
        submit(
            "{\"kind\":\"vm\",\"name\":\""
                + name
                + "\",\"template\":\"debian-12\",\"cores\":1,\"memoryMiB\":2048,"
                + "\"diskGiB\":20,\"network\":{\"mode\":\"nat\"},\"sshKeys\":[\""
                + TestKeys.ed25519("alice@laptop")
                + "\"],\"leaseDays\":2,\"purpose\":\"console tests\"}");
    try {
      // A VM of 2 GiB is beyond the demo's auto-approve limits: an admin approves it.
      HttpResponse<String> approved =
          http.call("POST", "api/requests/" + id + "/approve", "admin", "admin", null);
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
      http.awaitRequest("alice", id, "READY");
      String usedTicket;
      try (Browser browser = Browser.start();
          Browser bobs = Browser.start()) {
        WebDriver page = browser.driver();
        try {
          signIn(page, "alice");
          page.get(app.resolve("requests/view.xhtml?id=" + id).toString());
          page.findElement(By.id("guest:console")).click();
          until(
              page,
              d ->
                  "open"
                      .equals(d.findElement(By.id("consoleStatus")).getDomAttribute("data-state")));
          usedTicket = page.findElement(By.id("terminal")).getDomAttribute("data-ticket");
          until(page, d -> Browser.terminalText(d).contains("root@" + name + ":~#"));
          assertThat(Browser.terminalText(page))
              .contains(name + " ttyS0")
              .contains("simulated Proxmox VE cluster: nothing runs here");

          WebElement keys = page.findElement(By.cssSelector(".xterm-helper-textarea"));
          keys.sendKeys("hostname\n");
          until(page, d -> Browser.terminalText(d).lines().anyMatch(l -> l.strip().equals(name)));
          // The browser's terminal size reached the guest's terminal.
          keys.sendKeys("stty size\n");
          String size =
              (String)
                  ((JavascriptExecutor) page)
                      .executeScript(
                          "return window.berthTerminal.rows + ' ' + window.berthTerminal.cols;");
          until(page, d -> Browser.terminalText(d).lines().anyMatch(l -> l.strip().equals(size)));
          browser.screenshot("console-proxmox");
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot("console-proxmox-failure");
          throw e;
        }
        assertThat(http.get("api/requests/" + id, "alice", "alice").body())
            .contains("opened the console");

        WebDriver bob = bobs.driver();
        signIn(bob, "bob");
        Browser.assertConsoleRefused(bob, app, id, usedTicket);
        // A ticket alice has not used yet is hers alone.
        // (fetched, not shown, so that no script of the page uses it)
        String html =
            (String)
                ((JavascriptExecutor) page)
                    .executeAsyncScript(
                        "var done = arguments[arguments.length - 1];"
                            + "fetch('/guests/console.xhtml?id="
                            + id
                            + "').then(function (r) { return r.text(); }).then(done);");
        java.util.regex.Matcher unused =
            java.util.regex.Pattern.compile("data-ticket=\"([A-Za-z0-9_-]+)\"").matcher(html);
        assertThat(unused.find()).as(html).isTrue();
        assertThat(Browser.consoleSocket(bob, id, unused.group(1)))
            .startsWith("1008 ")
            .contains("another person's")
            .doesNotContain("data;");

        // Stopping the VM ends the terminal on the cluster, and so the console alice has open.
        HttpResponse<String> stop =
            http.call("POST", "api/requests/" + id + "/guest/force-stop", "alice", "alice", null);
        assertThat(stop.statusCode()).as(stop.body()).isIn(200, 202);
        until(
            page,
            d ->
                "closed"
                    .equals(d.findElement(By.id("consoleStatus")).getDomAttribute("data-state")));
        assertThat(text(page, "consoleStatus"))
            .startsWith("The console is closed")
            .contains("the console ended");
      }
    } finally {
      http.call("DELETE", "api/requests/" + id, "alice", "alice", null);
    }
  }

  /** Submits a request as alice through the API; answers its id. */
  private long submit(String body) {
    HttpResponse<String> submitted = http.call("POST", "api/requests", "alice", "alice", body);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    return Http.json(submitted).getInt("id");
  }

  private void awaitDeleted(long id) {
    http.awaitRequest("alice", id, "DELETED");
  }

  private void signIn(WebDriver page, String user) {
    Browser.signIn(page, app, user);
  }

  /** Scrolls to an element, for the screenshot. */
  private static void show(WebDriver page, String id) {
    ((JavascriptExecutor) page)
        .executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
  }

  /** A config key of a guest of the simulated cluster, as the cluster has it now. */
  private static String simulatedConfig(int vmid, String key) {
    return DemoBerth.SIM.guest(vmid).orElseThrow().getJsonObject("config").getString(key, "");
  }

  /** The question a confirmation dialog on the page asks. */
  private static String confirmation(WebDriver page) {
    return page.findElements(By.cssSelector(".ui-confirm-dialog-message")).stream()
        .filter(WebElement::isDisplayed)
        .map(e -> e.getText().strip())
        .findFirst()
        .orElseThrow();
  }

  /** The power state My guests shows beside the state of the guest named {@code name}. */
  private static String listedPower(WebDriver page, String name) {
    WebElement row =
        wait(page)
            .until(d -> d.findElement(By.xpath("//tr[.//a[normalize-space() = '" + name + "']]")));
    return row.findElement(By.xpath(".//*[contains(@id, ':power')]")).getText();
  }

  private static String text(WebDriver page, String id) {
    return page.findElement(By.id(id)).getText().strip();
  }

  /** Waits for what the page shows while it polls and reloads itself. */
  private static void until(WebDriver page, Function<WebDriver, Boolean> shown) {
    new WebDriverWait(page, Duration.ofSeconds(60))
        .ignoring(StaleElementReferenceException.class)
        .until(shown);
  }

  private static WebDriverWait wait(WebDriver page) {
    return new WebDriverWait(page, Duration.ofSeconds(20));
  }
}
