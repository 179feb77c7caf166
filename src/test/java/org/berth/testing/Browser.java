package org.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's {@code chromium} and {@code chromium-driver} packages, driven by
 * Selenium. It reaches nothing but the pages the test opens: no background networking, a fresh
 * profile each time.
 */
public final class Browser implements AutoCloseable {

  private final WebDriver driver;
  private final Path profile;

  private Browser(WebDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Signs {@code user} in on the demo's sign-in page of the Berth at {@code app} (the password is
   * the user name) and waits for the home page's greeting.
   */
  public static void signIn(WebDriver page, java.net.URI app, String user) {
    page.get(app.resolve("login.xhtml").toString());
    page.findElement(org.openqa.selenium.By.id("login:username")).sendKeys(user);
    page.findElement(org.openqa.selenium.By.id("login:password")).sendKeys(user);
    page.findElement(org.openqa.selenium.By.id("login:submit")).click();
    new org.openqa.selenium.support.ui.WebDriverWait(page, Duration.ofSeconds(30))
        .until(
            org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                org.openqa.selenium.By.id("greeting")));
  }

  /** Starts a browser; skips the test (fails in CI) where Chromium or its driver is missing. */
  public static Browser start() {
    Path chromium = RequiredProgram.CHROMIUM.require();
    Path chromedriver = RequiredProgram.CHROMEDRIVER.require();
    try {
      Path profile = Files.createTempDirectory("chromium-profile");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium.toFile());
      options.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--window-size=1280,900",
          "--user-data-dir=" + profile);
      ChromeDriverService service =
          new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
      WebDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      return new Browser(driver, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes the page a phone's: 390 CSS pixels wide and 844 high, at three device pixels each, with
   * touch, as Chromium's device emulation does it.
   */
  public void phone() {
    ((org.openqa.selenium.chromium.ChromiumDriver) driver)
        .executeCdpCommand(
            "Emulation.setDeviceMetricsOverride",
            java.util.Map.of("width", 390, "height", 844, "deviceScaleFactor", 3, "mobile", true));
  }

  public WebDriver driver() {
    return driver;
  }

  /** Saves what the page shows, for a person to look at after the run. */
  public void screenshot(String name) {
    try {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      Files.write(dir.resolve(name + ".png"), png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover profile in the temp folder is harmless
    }
  }

  /** What the console page's terminal shows, line by line. */
  public static String terminalText(WebDriver page) {
    return (String)
        ((org.openqa.selenium.JavascriptExecutor) page)
            .executeScript(
                "var b = window.berthTerminal.buffer.active, lines = [];"
                    + "for (var i = 0; i < b.length; i++) {"
                    + " lines.push(b.getLine(i).translateToString(true)); }"
                    + "return lines.join('\\n');");
  }

  /**
   * Opens the console WebSocket of request {@code id} from {@code page} by hand, sends {@code
   * ticket}, and answers what came back: {@code data;} for each message, then the close code and
   * reason.
   */
  public static String consoleSocket(WebDriver page, long id, String ticket) {
    return (String)
        ((org.openqa.selenium.JavascriptExecutor) page)
            .executeAsyncScript(
                "var ticket = arguments[0], done = arguments[arguments.length - 1];"
                    + "var s = new WebSocket('ws://' + location.host + '/console/"
                    + id
                    + "');"
                    + "var got = '';"
                    + "s.onopen = function () { s.send(ticket); };"
                    + "s.onmessage = function (e) { got += 'data;'; };"
                    + "s.onclose = function (e) { done(got + e.code + ' ' + e.reason); };",
                ticket);
  }

  /**
   * Checks that someone who may not see request {@code id}, signed in on {@code page}, gets the
   * console page's 404 and no terminal, and that the console WebSocket refuses the owner's ticket
   * {@code usedTicket}, already used, with 1008 and sends nothing.
   */
  public static void assertConsoleRefused(
      WebDriver page, java.net.URI base, long id, String usedTicket) {
    page.get(base.resolve("guests/console.xhtml?id=" + id).toString());
    org.assertj.core.api.Assertions.assertThat(
            page.findElements(org.openqa.selenium.By.id("notFound")))
        .hasSize(1);
    org.assertj.core.api.Assertions.assertThat(
            page.findElements(org.openqa.selenium.By.id("terminal")))
        .isEmpty();
    org.assertj.core.api.Assertions.assertThat(consoleSocket(page, id, usedTicket))
        .startsWith("1008 ")
        .contains("ticket is unknown or has expired")
        .doesNotContain("data;");
  }
}
