package org.berth.requests.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.berth.platform.refusal.InvalidInput;
import org.berth.requests.entity.GuestKind;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestForm;
import org.berth.requests.entity.TemplateSpec;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {

  static final TemplateSpec DEBIAN = org.berth.testing.TestRequests.DEBIAN_VM;
  static final TemplateSpec CT =
      new TemplateSpec(
          "debian-12-ct",
          GuestKind.CONTAINER,
          "local:vztmpl/d.tar.zst",
          "root",
          "",
          1,
          4,
          512,
          8192,
          8,
          100,
          true,
          TemplateSpec.DEFAULT_SNAPSHOTS);
  static final RequestPolicy POLICY =
      new RequestPolicy(
          14,
          30,
          List.of(7, 3, 1),
          7,
          new RequestPolicy.AutoApprove(true, 1, 1024, 10, 7),
          new QuotaLimits(3, 8, 16384, 200));
  static final String KEY = TestKeys.ed25519("alice");

  final RequestValidator validator =
      new RequestValidator(
          POLICY,
          name -> Optional.ofNullable(Map.of("debian-12", DEBIAN, "debian-12-ct", CT).get(name)));

  static RequestDraft draft() {
    return new RequestDraft(
        "vm",
        "web-1",
        "debian-12",
        2L,
        4096L,
        30L,
        "ledger",
        "PVM001.example.com",
        null,
        List.of(KEY),
        10L,
        "integration tests");
  }

  Map<String, String> refusal(RequestDraft d) {
    return catchThrowableOfType(() -> validator.check(d), InvalidInput.class).fields();
  }

  @Test
  void acceptsAGoodRequestAndFillsDefaults() {
    RequestForm form = validator.check(draft());
    assertThat(form.ledgerHost()).isEqualTo("pvm001.example.com");
    assertThat(form.networkMode()).isEqualTo(NetworkMode.LEDGER);

    RequestForm defaults =
        validator.check(
            new RequestDraft(
                "container",
                "ct-1",
                "debian-12-ct",
                null,
                null,
                null,
                "nat",
                null,
                8080L,
                List.of(KEY),
                null,
                "x"));
    assertThat(defaults.cores()).isEqualTo(1);
    assertThat(defaults.memoryMib()).isEqualTo(512);
    assertThat(defaults.diskGib()).isEqualTo(8);
    assertThat(defaults.leaseDays()).isEqualTo(14);
    assertThat(defaults.httpPort()).isEqualTo(8080);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"web 1", "web.example", "Web-1", "a;b", "a{b}", "wéb", "-web", "web-", "1web", ""})
  void refusesNamesThatAreNotDnsLabels(String name) {
    RequestDraft d = draft();
    Map<String, String> wrong =
        refusal(
            new RequestDraft(
                d.kind(),
                name,
                d.template(),
                d.cores(),
                d.memoryMiB(),
                d.diskGiB(),
                d.networkMode(),
                d.host(),
                null,
                d.sshKeys(),
                d.leaseDays(),
                d.purpose()));
    assertThat(wrong).containsOnlyKeys("name");
  }

  @Test
  void namesTheRuleForCommonNameMistakes() {
    assertThat(RequestValidator.nameProblem("Web-1")).contains("lower case", "'web-1'");
    assertThat(RequestValidator.nameProblem("a".repeat(64))).contains("at most 63");
    assertThat(RequestValidator.nameProblem("a".repeat(63))).isNull();
    assertThat(RequestValidator.nameProblem("web.example")).contains("without dots");
  }

  @Test
  void refusesSizesOutsideTheTemplatesLimits() {
    Map<String, String> wrong =
        refusal(
            new RequestDraft(
                "vm",
                "web-1",
                "debian-12",
                0L,
                -5L,
                Long.MAX_VALUE,
                "ledger",
                "pvm001.example.com",
                null,
                List.of(KEY),
                10L,
                "x"));
    assertThat(wrong)
        .containsEntry("cores", "must be at least 1")
        .containsEntry("memoryMiB", "must be at least 1")
        .containsEntry("diskGiB", "must be at most 200 GiB (the template's maximum)");
    assertThat(
            refusal(
                new RequestDraft(
                    "vm",
                    "web-1",
                    "debian-12",
                    9L,
                    2048L,
                    20L,
                    "ledger",
                    "pvm001.example.com",
                    null,
                    List.of(KEY),
                    10L,
                    "x")))
        .containsEntry("cores", "must be at most 8 (the template's maximum)");
  }

  @Test
  void refusesALeaseBeyondTheMaximum() {
    RequestDraft d = draft();
    assertThat(
            refusal(
                new RequestDraft(
                    d.kind(),
                    d.name(),
                    d.template(),
                    d.cores(),
                    d.memoryMiB(),
                    d.diskGiB(),
                    d.networkMode(),
                    d.host(),
                    null,
                    d.sshKeys(),
                    31L,
                    d.purpose())))
        .containsEntry("leaseDays", "must be between 1 and 30 days (the maximum)");
  }

  @Test
  void refusesBadKeysNamingEachOne() {
    RequestDraft d = draft();
    Map<String, String> wrong =
        refusal(
            new RequestDraft(
                d.kind(),
                d.name(),
                d.template(),
                d.cores(),
                d.memoryMiB(),
                d.diskGiB(),
                d.networkMode(),
                d.host(),
                null,
                List.of(
                    KEY,
                    "command=\"x\" " + KEY,
                    "ssh-ed25519 AAAAC3Nz",
                    "ssh-foo AAAA",
                    KEY + " " + TestKeys.ed25519("b")),
                d.leaseDays(),
                d.purpose()));
    assertThat(wrong).containsOnlyKeys("sshKeys[1]", "sshKeys[2]", "sshKeys[3]", "sshKeys[4]");
    assertThat(
            refusal(
                new RequestDraft(
                    d.kind(),
                    d.name(),
                    d.template(),
                    d.cores(),
                    d.memoryMiB(),
                    d.diskGiB(),
                    d.networkMode(),
                    d.host(),
                    null,
                    List.of(),
                    d.leaseDays(),
                    d.purpose())))
        .containsEntry("sshKeys", "must hold at least one public key");
  }

  @Test
  void reportsEveryBrokenFieldAtOnce() {
    Map<String, String> wrong =
        refusal(
            new RequestDraft(
                "vm",
                "Bad Name",
                "debian-12-ct",
                null,
                null,
                null,
                "wifi",
                null,
                null,
                null,
                null,
                " "));
    assertThat(wrong).containsKeys("name", "template", "network.mode", "sshKeys", "purpose");
    assertThat(wrong.get("template"))
        .isEqualTo("'debian-12-ct' is a container template, not a vm one");
  }

  @Test
  void keepsNetworkFieldsToTheirMode() {
    assertThat(
            refusal(
                new RequestDraft(
                    "vm",
                    "web-1",
                    "debian-12",
                    null,
                    null,
                    null,
                    "nat",
                    "pvm001.example.com",
                    70000L,
                    List.of(KEY),
                    null,
                    "x")))
        .containsEntry("network.host", "is for ledger guests only; leave it out with mode nat")
        .containsEntry("network.httpPort", "must be a port between 1 and 65535");
    assertThat(
            refusal(
                new RequestDraft(
                    "vm",
                    "web-1",
                    "debian-12",
                    null,
                    null,
                    null,
                    "ledger",
                    "not a host",
                    null,
                    List.of(KEY),
                    null,
                    "x")))
        .containsKey("network.host");
  }

  static RequestDraft withPurpose(String purpose) {
    RequestDraft d = draft();
    return new RequestDraft(
        d.kind(),
        d.name(),
        d.template(),
        d.cores(),
        d.memoryMiB(),
        d.diskGiB(),
        d.networkMode(),
        d.host(),
        null,
        d.sshKeys(),
        d.leaseDays(),
        purpose);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x\nApproved-By: admin\n\nClick http://evil",
        "x\r\nBcc: everyone@example.com",
        "x\rApproved",
        "tabs\tbetween",
        "bell\u0007",
        "escape \u001b[31m red",
        "delete\u007f",
        "next line\u0085here",
        "line\u2028separator",
        "paragraph\u2029separator"
      })
  void refusesAPurposeThatIsNotOneLine(String purpose) {
    assertThat(refusal(withPurpose(purpose)))
        .containsOnly(Map.entry("purpose", "must be one line without control characters"));
  }

  @Test
  void acceptsAOneLinePurposeUpToFiveHundredCharacters() {
    assertThat(
            validator.check(withPurpose("  load tests for the billing API, ü and ✓  ")).purpose())
        .isEqualTo("load tests for the billing API, ü and ✓");
    assertThat(validator.check(withPurpose("p".repeat(500))).purpose()).hasSize(500);
    assertThat(refusal(withPurpose("p".repeat(501))))
        .containsOnly(Map.entry("purpose", "must be at most 500 characters"));
  }

  @Test
  void namesTheRuleForFreeText() {
    assertThat(RequestValidator.freeTextProblem("Use a container for this", 500)).isNull();
    assertThat(RequestValidator.freeTextProblem("no\nway", 500))
        .isEqualTo("must be one line without control characters");
    assertThat(RequestValidator.freeTextProblem("abc", 2))
        .isEqualTo("must be at most 2 characters");
  }
}
