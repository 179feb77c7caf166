package org.berth.requests.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditTrailTest {

  @Test
  void aCsvFieldIsQuotedAndAFormulaIsMadeHarmless() {
    assertThat(AuditTrail.cell("plain")).isEqualTo("\"plain\"");
    assertThat(AuditTrail.cell("say \"no\", twice")).isEqualTo("\"say \"\"no\"\", twice\"");
    assertThat(AuditTrail.cell("=HYPERLINK(\"http://evil\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    assertThat(AuditTrail.cell("-1+2")).isEqualTo("\"'-1+2\"");
    assertThat(AuditTrail.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
    assertThat(AuditTrail.cell(null)).isEmpty();
  }

  @Test
  void whatHappenedIsTheChangeOfStateAndWhyOrOnlyWhy() {
    Instant at = Instant.parse("2026-12-04T10:00:00Z");
    assertThat(
            new AuditTrail.Line(at, 1, "web", "alice", "admin", "SUBMITTED", "APPROVED", null)
                .what())
        .isEqualTo("submitted → approved");
    assertThat(
            new AuditTrail.Line(at, 1, "web", "alice", "admin", "SUBMITTED", "REJECTED", "too big")
                .what())
        .isEqualTo("submitted → rejected: too big");
    assertThat(
            new AuditTrail.Line(
                    at, 1, "web", "alice", "alice", "READY", "READY", "opened the console")
                .what())
        .isEqualTo("opened the console");
    assertThat(new AuditTrail.Line(at, 1, "web", "alice", "alice", null, "SUBMITTED", null).what())
        .isEqualTo("submitted");
  }

  @Test
  void daysAreWholeUtcDaysWithTheLastOneIncluded() {
    AuditTrail.Filter f = AuditTrail.Filter.ofDays(" ", "", "2026-12-01", "2026-12-04");
    assertThat(f.actor()).isNull();
    assertThat(f.words()).isNull();
    assertThat(f.from()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(f.to()).isEqualTo(Instant.parse("2026-12-05T00:00:00Z"));
  }

  @Test
  void aDayOutsideTheYearsOneTo9999IsNoDay() {
    // ISO dates may have a sign and nine digits of year; the day after the last one has none.
    for (String strange : List.of("+999999999-12-31", "-999999999-01-01", "0000-01-01")) {
      assertThatThrownBy(() -> AuditTrail.Filter.ofDays(null, null, null, strange))
          .as(strange)
          .isInstanceOf(java.time.format.DateTimeParseException.class);
    }
    assertThat(AuditTrail.Filter.day("9999-12-31", 1))
        .isEqualTo(Instant.parse("+10000-01-01T00:00:00Z"));
  }
}
