package org.berth.ledger.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.berth.testing.GitCli.git;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.berth.testing.Await;
import org.berth.testing.Browser;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.berth.testing.PrometheusText;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ledger in the deployed application: the demo's remote seeded from ipam-seed, the REST API,
 * the webhooks, a broken commit pushed with the git command line, and the pages in a browser.
 */
class LedgerIT {

  static final String SYNC_REQUESTS = "berth_ledger_sync_requests_total";

  static final Path REMOTE = Path.of("target", "it-data", "ledger.git").toAbsolutePath();

  URI app;
  Http http;

  @BeforeEach
  void ledgerIsReady() {
    http = DemoBerth.http();
    app = http.uri("");
    http.awaitLedger(false);
  }

  @Test
  void listsTheSeedLedgerWithItsHolders() {
    JsonObject all = Http.json(http.get("api/ledger/entries?limit=1", "alice", "alice"));
    JsonObject taken = Http.json(http.get("api/ledger/entries?state=taken", "alice", "alice"));

    assertThat(all.getInt("total")).isGreaterThanOrEqualTo(64);
    assertThat(taken.getJsonArray("entries").getValuesAs(JsonObject.class))
        .extracting(e -> e.getString("host") + "=" + e.getString("holder"))
        .contains(
            "pvm003.example.com=lars",
            "pvm007.example.com=maria",
            "pvm012.example.com=jonas",
            "pvm020.example.com=lars");
  }

  @Test
  void filtersAndSortsInTheDatabase() {
    assertThat(hosts("api/ledger/entries?q=maria")).containsExactly("pvm007.example.com");
    assertThat(hosts("api/ledger/entries?mac=52-54-00-BE-00-06"))
        .containsExactly("pvm007.example.com");
    assertThat(hosts("api/ledger/entries?ip=192.0.2.1&sort=ipv4&limit=3"))
        .containsExactly("pvm001.example.com", "pvm002.example.com", "pvm003.example.com");
    JsonObject lastByIp =
        Http.json(
            http.get(
                "api/ledger/entries?sort=ipv4&order=desc&limit=1&ip=192.0.2.7", "alice", "alice"));
    assertThat(lastByIp.getJsonArray("entries").getJsonObject(0).getString("ipv4"))
        .isEqualTo("192.0.2.73");

    HttpResponse<String> bad = http.get("api/ledger/entries?state=busy", "alice", "alice");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Http.json(bad).getString("error")).isEqualTo("invalid_input");
    assertThat(Http.json(bad).getString("message")).isEqualTo("state: must be free or taken");
  }

  @Test
  void entryShowsTheCommitsThatChangedIt() {
    JsonObject entry =
        Http.json(http.get("api/ledger/entries/PVM003.example.com", "alice", "alice"));

    assertThat(entry.getString("holder")).isEqualTo("lars");
    assertThat(entry.getJsonArray("history").getValuesAs(JsonObject.class))
        .extracting(c -> c.getString("author") + "|" + c.getString("message"))
        .contains("Berth|Seed the address ledger from ipam-seed");
    HttpResponse<String> missing =
        http.get("api/ledger/entries/nope.example.com", "alice", "alice");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(Http.json(missing).getString("error")).isEqualTo("unknown_entry");
  }

  @Test
  void adminClaimsAndReleasesAsCommitsOnTheRemote() {
    HttpResponse<String> claim =
        post(
            "api/ledger/entries/pvm040.example.com/claim",
            "admin",
            "{\"holder\":\"carol\",\"request\":\"17\"}");

    assertThat(claim.statusCode()).isEqualTo(200);
    assertThat(Http.json(claim).getString("holder")).isEqualTo("carol");
    assertThat(git(REMOTE, "log", "-1", "--format=%an|%cn|%B", "main"))
        .startsWith("Ada Admin|Berth|Claim pvm040.example.com for carol")
        .contains("Berth-Request: 17");
    assertThat(
            git(REMOTE, "diff", "--unified=0", "main~1", "main")
                .lines()
                .filter(l -> l.matches("^[+-] .*")))
        .containsExactly("+  User: carol", "+  Date: " + java.time.LocalDate.now());

    HttpResponse<String> again =
        post("api/ledger/entries/pvm040.example.com/claim", "admin", "{\"holder\":\"dave\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(Http.json(again).getString("error")).isEqualTo("address_taken");
    assertThat(Http.json(again).getString("message"))
        .startsWith("pvm040.example.com is taken by carol");

    assertThat(
            post("api/ledger/entries/pvm041.example.com/claim", "alice", "{\"holder\":\"alice\"}")
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> badHolder =
        post("api/ledger/entries/pvm041.example.com/claim", "admin", "{\"holder\":\"a b\"}");
    assertThat(badHolder.statusCode()).isEqualTo(400);
    assertThat(Http.json(badHolder).getString("message")).startsWith("holder:");

    assertThat(
            post("api/ledger/entries/pvm040.example.com/release", "admin", "{\"holder\":\"carol\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            Http.json(http.get("api/ledger/entries/pvm040.example.com", "alice", "alice"))
                .getString("state"))
        .isEqualTo("free");
  }

  @Test
  void webhookWithAWrongTokenIsRefusedAndFetchesNothing() throws Exception {
    Path person = personClone();
    editByHand(person, t -> claimLine(t, "pvm044.example.com", "dana"), "dana takes pvm044");
    double requestsBefore = PrometheusText.sample(DemoBerth.metrics(), SYNC_REQUESTS);

    HttpResponse<String> wrong =
        raw(
            "api/ledger/webhook/gitlab",
            "X-Gitlab-Token",
            "guess",
            "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\"}");
    HttpResponse<String> none = raw("api/ledger/webhook", "X-Other", "x", "");

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(Http.json(wrong).getString("error")).isEqualTo("unauthorized");
    assertThat(none.statusCode()).isEqualTo(401);
    // A webhook asks for a sync before it answers: refused ones asked for none.
    assertThat(PrometheusText.sample(DemoBerth.metrics(), SYNC_REQUESTS)).isEqualTo(requestsBefore);
    assertThat(
            Http.json(http.get("api/ledger/entries/pvm044.example.com", "alice", "alice"))
                .getString("state"))
        .isEqualTo("free");

    HttpResponse<String> right =
        raw(
            "api/ledger/webhook/gitlab",
            "X-Gitlab-Token",
            "it-webhook-secret",
            "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\"}");

    assertThat(right.statusCode()).isEqualTo(202);
    awaitHolder("pvm044.example.com", "dana");
    assertThat(PrometheusText.sample(DemoBerth.metrics(), SYNC_REQUESTS))
        .isEqualTo(requestsBefore + 1);
  }

  @Test
  void aBrokenCommitIsShownAndRefusesClaimsUntilAFixArrives() throws Exception {
    Path person = personClone();
    String good = Files.readString(person.resolve("addresses.yaml"));
    editByHand(
        person,
        t -> t.replace("  MAC:  52:54:00:BE:00:29\n", "  MAC:  52:54:00:BE:00:00\n"),
        "Copy a MAC by mistake");
    String broken = git(person, "rev-parse", "HEAD").strip();

    JsonObject status = Http.json(post("api/ledger/sync", "admin", ""));

    assertThat(status.getString("brokenCommit")).isEqualTo(broken);
    assertThat(status.getJsonArray("problems").getString(0))
        .matches(
            "addresses\\.yaml:\\d+ \\(pvm042\\.example\\.com\\): duplicate MAC 52:54:00:be:00:00, already used by pvm001\\.example\\.com at addresses\\.yaml:5");
    HttpResponse<String> refused =
        post("api/ledger/entries/pvm043.example.com/claim", "admin", "{\"holder\":\"erin\"}");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(Http.json(refused).getString("error")).isEqualTo("ledger_invalid");
    assertThat(Http.json(refused).getString("message"))
        .contains(broken.substring(0, 12))
        .contains("duplicate MAC");
    assertThat(
            Http.json(http.get("api/ledger/entries/pvm042.example.com", "alice", "alice"))
                .getString("mac"))
        .isEqualTo("52:54:00:be:00:29");
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      signIn(page, "admin");
      page.get(app.resolve("admin/ledger.xhtml").toString());
      assertThat(page.findElement(By.id("status:problems")).getText())
          .contains("does not validate")
          .contains("duplicate MAC 52:54:00:be:00:00");
      browser.screenshot("admin-ledger-broken");
    }

    editByHand(person, t -> good, "Fix the copied MAC");
    JsonObject fixed = Http.json(post("api/ledger/sync", "admin", ""));

    assertThat(fixed.isNull("brokenCommit")).isTrue();
    assertThat(fixed.getJsonArray("problems")).isEmpty();
    assertThat(
            post("api/ledger/entries/pvm043.example.com/claim", "admin", "{\"holder\":\"erin\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(post("api/ledger/entries/pvm043.example.com/release", "admin", "{}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aFileThatIsNotUtf8IsAProblemAndNothingIsWrittenOverIt() throws Exception {
    Path person = personClone();
    git(person, "pull", "-q", "--rebase");
    Path file = person.resolve("addresses.yaml");
    byte[] good = Files.readAllBytes(file);
    byte[] latin1 =
        "# Verwaltet von J\u00fcrgen\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] edited = new byte[latin1.length + good.length];
    System.arraycopy(latin1, 0, edited, 0, latin1.length);
    System.arraycopy(good, 0, edited, latin1.length, good.length);
    Files.write(file, edited);
    git(person, "commit", "-q", "-am", "Note who keeps the list, in Latin-1");
    git(person, "push", "-q", "origin", "HEAD:main");
    String latin1Commit = git(person, "rev-parse", "HEAD").strip();

    JsonObject status = Http.json(post("api/ledger/sync", "admin", ""));

    assertThat(status.getString("brokenCommit")).isEqualTo(latin1Commit);
    assertThat(status.getJsonArray("problems").getString(0))
        .isEqualTo("addresses.yaml:1: not valid UTF-8 (byte 18); save the file as UTF-8");
    HttpResponse<String> refused =
        post("api/ledger/entries/pvm044.example.com/claim", "admin", "{\"holder\":\"erin\"}");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(Http.json(refused).getString("error")).isEqualTo("ledger_invalid");
    git(person, "pull", "-q", "--rebase");
    assertThat(git(person, "rev-parse", "HEAD").strip()).isEqualTo(latin1Commit);
    assertThat(Files.readAllBytes(file)).isEqualTo(edited);

    Files.write(file, good);
    git(person, "commit", "-q", "-am", "Drop the Latin-1 note");
    git(person, "push", "-q", "origin", "HEAD:main");
    assertThat(Http.json(post("api/ledger/sync", "admin", "")).isNull("brokenCommit")).isTrue();
  }

  @Test
  void addressesTheJumpHostCouldNotTrustAreProblemsNamingTheirEntries() throws Exception {
    Path person = personClone();
    String good = Files.readString(person.resolve("addresses.yaml"));
    editByHand(
        person,
        t ->
            t
                + "- Host: loop.example.com\n  IPv4: 127.0.0.1\n  MAC: 52:54:00:BE:0F:01\n"
                + "- Host: nat.example.com\n  IPv4: 10.77.0.3\n  MAC: 52:54:00:BE:0F:02\n",
        "Add two entries nobody should reach through the jump host");

    JsonObject status = Http.json(post("api/ledger/sync", "admin", ""));

    assertThat(status.getJsonArray("problems").getValuesAs(jakarta.json.JsonString::getString))
        .anySatisfy(
            p -> assertThat(p).contains("(loop.example.com): IPv4 127.0.0.1 is a loopback address"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains(
                        "(nat.example.com): IPv4 10.77.0.3 is inside the NAT network 10.77.0.0/24"));
    assertThat(http.get("api/ledger/entries/loop.example.com", "alice", "alice").statusCode())
        .isEqualTo(404);

    editByHand(person, t -> good, "Remove them again");
    assertThat(Http.json(post("api/ledger/sync", "admin", "")).isNull("brokenCommit")).isTrue();
  }

  @Test
  void aBatchIsPreviewedThenAddedInOneCommit() {
    String batch =
        "{\"ipv4\":\"192.0.2.200-192.0.2.203\",\"ipv6Prefix\":\"2001:db8:0:160::/64\",\"macStart\":\"52:54:00:be:02:00\",\"hostPattern\":\"pvm{n:03}.example.com\",\"firstNumber\":200";
    String before = git(REMOTE, "rev-parse", "main").strip();

    JsonObject preview =
        Http.json(post("api/ledger/batches", "admin", batch + ",\"preview\":true}"));

    assertThat(preview.getJsonArray("entries").getValuesAs(JsonObject.class))
        .extracting(
            e ->
                e.getString("host")
                    + " "
                    + e.getString("ipv4")
                    + " "
                    + e.getString("ipv6")
                    + " "
                    + e.getString("mac"))
        .containsExactly(
            "pvm200.example.com 192.0.2.200 2001:db8:0:160::c000:2c8 52:54:00:be:02:00",
            "pvm201.example.com 192.0.2.201 2001:db8:0:160::c000:2c9 52:54:00:be:02:01",
            "pvm202.example.com 192.0.2.202 2001:db8:0:160::c000:2ca 52:54:00:be:02:02",
            "pvm203.example.com 192.0.2.203 2001:db8:0:160::c000:2cb 52:54:00:be:02:03");
    assertThat(preview.getJsonArray("problems")).isEmpty();
    assertThat(git(REMOTE, "rev-parse", "main").strip()).isEqualTo(before);

    HttpResponse<String> added = post("api/ledger/batches", "admin", batch + "}");

    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(git(REMOTE, "log", "-1", "--format=%s", "main").strip())
        .isEqualTo("Add 4 entries pvm200.example.com to pvm203.example.com");
    assertThat(git(REMOTE, "rev-list", "--count", before + "..main").strip()).isEqualTo("1");
    assertThat(
            Http.json(http.get("api/ledger/entries/pvm202.example.com", "alice", "alice"))
                .getString("state"))
        .isEqualTo("free");

    HttpResponse<String> clash = post("api/ledger/batches", "admin", batch + "}");
    assertThat(clash.statusCode()).isEqualTo(400);
    assertThat(Http.json(clash).getString("error")).isEqualTo("invalid_entries");
    HttpResponse<String> badSpec =
        post(
            "api/ledger/batches",
            "admin",
            "{\"ipv4\":\"192.0.2.0/8\",\"macStart\":\"zz\",\"hostPattern\":\"pvm.example.com\"}");
    assertThat(badSpec.statusCode()).isEqualTo(400);
    assertThat(Http.json(badSpec).getString("message"))
        .contains("ipv4 ")
        .contains("macStart ")
        .contains("hostPattern ");

    // The page says each rule beside its labelled input, without the API's field names.
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      signIn(page, "admin");
      page.get(app.resolve("admin/ledger.xhtml").toString());
      page.findElement(By.id("batch:ipv4")).clear();
      page.findElement(By.id("batch:ipv4")).sendKeys("192.0.2.0/30");
      page.findElement(By.id("batch:macStart")).clear();
      page.findElement(By.id("batch:macStart")).sendKeys("zz");
      page.findElement(By.id("batch:hostPattern")).clear();
      page.findElement(By.id("batch:hostPattern")).sendKeys("pvm.example.com");
      page.findElement(By.id("batch:preview")).click();
      String beside =
          new org.openqa.selenium.support.ui.WebDriverWait(page, java.time.Duration.ofSeconds(20))
              .until(
                  d -> {
                    String text =
                        d.findElement(
                                By.xpath(
                                    "//*[@id='batch:macStart']/following-sibling::*[contains("
                                        + "@class, 'ui-message')]"))
                            .getText();
                    return text.isBlank() ? null : text;
                  });
      assertThat(beside).isNotBlank().doesNotContain("macStart");
      assertThat(page.findElement(By.id("batch")).getText())
          .contains("must contain {n} or {n:03} for the running number")
          .doesNotContain("macStart")
          .doesNotContain("hostPattern");
    }
  }

  @Test
  void theLedgerPageListsEntriesWithHoldersAndTheirHistory() {
    try (Browser browser = Browser.start()) {
      WebDriver page = browser.driver();
      signIn(page, "alice");
      page.findElement(By.id("navLedger")).click();
      WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(20));
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("ledger:entries")));

      String table = page.findElement(By.id("ledger:entries")).getText();
      assertThat(table).contains("pvm003.example.com", "lars", "192.0.2.12", "52:54:00:be:00:02");
      browser.screenshot("ledger");

      page.findElement(By.cssSelector("[id='ledger:entries:holder:filter']")).sendKeys("maria");
      wait.until(
          d -> !d.findElement(By.id("ledger:entries")).getText().contains("pvm003.example.com"));
      assertThat(page.findElement(By.id("ledger:entries")).getText())
          .contains("pvm007.example.com", "maria");

      page.findElement(By.linkText("pvm007.example.com")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("history")));
      assertThat(page.findElement(By.id("holder")).getText()).isEqualTo("maria");
      assertThat(page.findElement(By.id("history")).getText())
          .contains("Seed the address ledger from ipam-seed", "Berth");
      browser.screenshot("ledger-entry");
    }
  }

  private void signIn(WebDriver page, String user) {
    page.get(app.resolve("login.xhtml").toString());
    page.findElement(By.id("login:username")).sendKeys(user);
    page.findElement(By.id("login:password")).sendKeys(user);
    page.findElement(By.id("login:submit")).click();
    new WebDriverWait(page, Duration.ofSeconds(20))
        .until(ExpectedConditions.presenceOfElementLocated(By.id("greeting")));
  }

  private List<String> hosts(String path) {
    return Http.json(http.get(path, "alice", "alice"))
        .getJsonArray("entries")
        .getValuesAs(JsonObject.class)
        .stream()
        .map(e -> e.getString("host"))
        .toList();
  }

  private HttpResponse<String> post(String path, String user, String json) {
    return send(
        HttpRequest.newBuilder(app.resolve(path))
            .header("Authorization", Http.basic(user, user))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private HttpResponse<String> raw(String path, String header, String value, String body) {
    return send(
        HttpRequest.newBuilder(app.resolve(path))
            .header(header, value)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    return http.send(request);
  }

  private void awaitHolder(String host, String holder) {
    Await.until(
        host + " to show as held by " + holder,
        Duration.ofSeconds(20),
        () -> Http.json(http.get("api/ledger/entries/" + host, "alice", "alice")),
        entry -> holder.equals(entry.getString("holder", null)));
  }

  private static Path personClone() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "person");
    git(dir, "clone", "-q", REMOTE.toString(), "work");
    return dir.resolve("work");
  }

  private static void editByHand(Path person, UnaryOperator<String> edit, String message)
      throws Exception {
    git(person, "pull", "-q", "--rebase");
    Path file = person.resolve("addresses.yaml");
    Files.writeString(file, edit.apply(Files.readString(file)));
    git(person, "commit", "-q", "-am", message);
    git(person, "push", "-q", "origin", "HEAD:main");
  }

  private static String claimLine(String text, String host, String user) {
    int at = text.indexOf("- Host: " + host + "\n");
    int end = text.indexOf("\n- Host:", at + 1);
    end = end < 0 ? text.length() : end + 1;
    return text.substring(0, end)
        + "  User: "
        + user
        + "\n  Date: 2026-11-20\n"
        + text.substring(end);
  }
}
