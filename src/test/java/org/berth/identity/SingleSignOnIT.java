package org.berth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.berth.testing.Browser;
import org.berth.testing.Keycloak;
import org.berth.testing.ProductionBerth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing in to the pages through a real Keycloak's own login page in Chromium, against Berth
 * started as production starts it.
 */
// After the other shared-Berth tests, so that Keycloak and the production Berth have booted in
// the background (EarlyStart) by the time the sign-in tests need them.
@Order(Order.DEFAULT + 1)
class SingleSignOnIT {

  static ProductionBerth berth;
  static Keycloak keycloak;

  Browser browser;
  WebDriver driver;

  @BeforeAll
  static void people() throws Exception {
    berth = ProductionBerth.get();
    keycloak = berth.keycloak();
    berth.person("sdora", "Dora Developer", "developer");
    berth.person("sotto", "Otto Signsout", "developer");
    berth.person("sada", "Ada Admin", "admin", "developer");
    berth.person("sivan", "Ivan Formeradmin", "admin", "developer");
    berth.person("snorole", "Nora Norole");
    berth.person("dot.name", "Dot Name", "developer");
  }

  @BeforeEach
  void browser() {
    browser = Browser.start();
    driver = browser.driver();
  }

  @AfterEach
  void close() {
    browser.close();
  }

  URI page(String path) {
    return berth.base().resolve(path);
  }

  /** Opens {@code path}, expects Keycloak's login page, and signs in there. */
  void signInVia(String path, String username) {
    driver.get(page(path).toString());
    wait(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
    assertThat(driver.getCurrentUrl()).startsWith(keycloak.issuer());
    keycloak(username);
  }

  void keycloak(String username) {
    driver.findElement(By.id("username")).sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(ProductionBerth.PASSWORD);
    driver.findElement(By.id("kc-login")).click();
  }

  void wait(org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
    new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition);
  }

  @Test
  void developerSignsInAtKeycloakAndLandsOnThePageAskedFor() {
    signInVia("ledger/index.xhtml?state=free", "sdora");

    wait(ExpectedConditions.urlContains("/ledger/index.xhtml"));
    assertThat(driver.getCurrentUrl()).isEqualTo(page("ledger/index.xhtml?state=free").toString());
    assertThat(driver.findElement(By.id("currentUser")).getText())
        .isEqualTo("Dora Developer (developer)");
    assertThat(driver.findElements(By.id("navAdmin"))).isEmpty();
    assertThat(driver.findElement(By.id("simulated")).getText()).contains("simulated");
    browser.screenshot("sso-developer-ledger");

    driver.get(page("admin/index.xhtml").toString());
    assertThat(driver.findElement(By.id("errorTitle")).getText()).isEqualTo("Not allowed");
  }

  @Test
  void adminSeesTheAdminPages() {
    signInVia("admin/index.xhtml", "sada");

    wait(ExpectedConditions.urlContains("/admin/index.xhtml"));
    assertThat(driver.findElement(By.id("currentUser")).getText()).isEqualTo("Ada Admin (admin)");
    assertThat(driver.findElements(By.id("navAdmin"))).hasSize(1);
    browser.screenshot("sso-admin");
  }

  @Test
  void signingOutEndsBerthsSessionAndKeycloaksAndLandsOnTheSignedOutPage() {
    signInVia("guests/index.xhtml", "sotto");
    wait(ExpectedConditions.urlContains("/guests/index.xhtml"));
    assertThat(keycloak.sessionCount("sotto")).isEqualTo(1);

    driver.findElement(By.id("account:signOut")).click();

    wait(ExpectedConditions.urlContains("/signed-out.xhtml"));
    assertThat(driver.findElement(By.id("signedOut")).getText()).contains("signed out");
    assertThat(keycloak.sessionCount("sotto")).isZero();
    browser.screenshot("sso-signed-out");

    // Without a Keycloak session, the next page asks for the password again.
    driver.get(page("guests/index.xhtml").toString());
    wait(ExpectedConditions.presenceOfElementLocated(By.id("kc-login")));
    assertThat(driver.getCurrentUrl()).startsWith(keycloak.issuer());
  }

  @Test
  void someoneWhoseAdminRoleIsRemovedIsADeveloperAtTheNextSignIn() {
    signInVia("admin/index.xhtml", "sivan");
    wait(ExpectedConditions.urlContains("/admin/index.xhtml"));
    assertThat(driver.findElement(By.id("currentUser")).getText()).endsWith("(admin)");
    driver.findElement(By.id("account:signOut")).click();
    wait(ExpectedConditions.urlContains("/signed-out.xhtml"));

    keycloak.setRoles("sivan", "developer");
    signInVia("guests/index.xhtml", "sivan");

    wait(ExpectedConditions.urlContains("/guests/index.xhtml"));
    assertThat(driver.findElement(By.id("currentUser")).getText())
        .isEqualTo("Ivan Formeradmin (developer)");
    assertThat(driver.findElements(By.id("navAdmin"))).isEmpty();
    driver.get(page("admin/index.xhtml").toString());
    assertThat(driver.findElement(By.id("errorTitle")).getText()).isEqualTo("Not allowed");
  }

  @Test
  void anAccountNameBerthCannotUseGetsAClearPage() {
    signInVia("guests/index.xhtml", "dot.name");

    wait(ExpectedConditions.urlContains("/sign-in-problem.xhtml"));
    assertThat(driver.findElement(By.id("problem")).getText())
        .contains("'dot.name'")
        .contains("lower-case letters, digits");
    assertThat(driver.findElement(By.id("reason")).getAttribute("data-reason"))
        .isEqualTo("ACCOUNT_NAME");
    browser.screenshot("sso-bad-name");
  }

  @Test
  void someoneWithoutABerthRoleIsToldSo() {
    signInVia("guests/index.xhtml", "snorole");

    wait(ExpectedConditions.urlContains("/sign-in-problem.xhtml"));
    assertThat(driver.findElement(By.id("problem")).getText())
        .contains("snorole")
        .contains("no Berth role");
  }
}
