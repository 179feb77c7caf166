package org.berth.ledger.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every limit of {@link LedgerLimits} a file can break is one problem with a line, never an Error.
 */
class LedgerLimitsTest {

  private static final String ENTRY =
      "- Host: pvm001.example.com\n  IPv4: 192.0.2.10\n  MAC: 52:54:00:be:00:00\n";

  @Test
  void nestingTwoHundredThousandDeepIsAProblemAtItsFirstTooDeepLine() {
    // One bracket per line: the line-length limit does not stop it, the nesting limit does.
    String text = ENTRY + "- Note:\n" + "    [\n".repeat(200_000) + "    ]\n".repeat(200_000);

    LedgerFile file = LedgerFile.parse("addresses.yaml", text);

    assertThat(file.entries()).isEmpty();
    assertThat(file.problems())
        .singleElement()
        .satisfies(
            p -> {
              // The file's list and the entry are levels 1 and 2; the 15th bracket is level 17.
              assertThat(p.line()).isEqualTo(4 + 15);
              assertThat(p.message())
                  .isEqualTo(
                      "nested more than 16 levels deep; an entry is a"
                          + " set of keys with one-line values");
            });
  }

  @Test
  void sixteenLevelsAreFineAndSeventeenAreNot() {
    String fine =
        ENTRY.replace("- Host", "- Note: " + "[".repeat(14) + "]".repeat(14) + "\n  Host");
    String deep =
        ENTRY.replace("- Host", "- Note: " + "[".repeat(15) + "]".repeat(15) + "\n  Host");

    assertThat(LedgerFile.parse("a.yaml", fine).problems()).isEmpty();
    assertThat(LedgerFile.parse("a.yaml", fine).entries()).hasSize(1);
    assertThat(LedgerFile.parse("a.yaml", deep).problems())
        .extracting(Problem::toString)
        .containsExactly(
            "a.yaml:1: nested more than 16 levels deep; an entry is a set of keys with one-line"
                + " values");
  }

  @Test
  void aLineOverTheLimitIsAProblemNamingItsLineAndLength() {
    String text = ENTRY + "# " + "x".repeat(2_000) + "\n" + ENTRY.replace("001", "002");

    LedgerFile file = LedgerFile.parse("a.yaml", text);

    assertThat(file.entries()).isEmpty();
    assertThat(file.problems())
        .extracting(Problem::toString)
        .containsExactly("a.yaml:4: the line is 2,002 characters long, over the limit of 1,024");
    assertThat(file.text()).isEqualTo(text);
  }

  @Test
  void aFileOverTheSizeLimitIsNotEvenDecodedAndIsNeverWritten() {
    byte[] bytes = new byte[LedgerLimits.MAX_FILE_BYTES + 1];
    java.util.Arrays.fill(bytes, (byte) '#');

    LedgerFile file = LedgerFile.parse("a.yaml", bytes);

    assertThat(file.entries()).isEmpty();
    assertThat(file.problems())
        .extracting(Problem::toString)
        .containsExactly("a.yaml: the file is 16 MiB, over the limit of 16 MiB per ledger file");
    assertThatThrownBy(file::text).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> file.append(List.of())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFileThatIsNotUtf8IsNeverWritten() {
    byte[] latin1 = (ENTRY + "# J\u00fcrgen\n").getBytes(StandardCharsets.ISO_8859_1);

    LedgerFile file = LedgerFile.parse("a.yaml", latin1);

    assertThat(file.problems())
        .extracting(Problem::toString)
        .containsExactly("a.yaml:4: not valid UTF-8 (byte 75); save the file as UTF-8");
    assertThatThrownBy(file::text).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void moreEntriesThanAWholeLedgerMayHaveIsAProblemAtTheFirstOneTooMany() {
    String text = "- x\n".repeat(LedgerLimits.MAX_ENTRIES + 1);

    LedgerFile file = LedgerFile.parse("a.yaml", text);

    assertThat(file.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "a.yaml:100001: more than 100,000 entries in one file, the limit of a whole ledger");
  }

  @Test
  void anEntryWithMoreThanAThousandNodesIsAProblem() {
    StringBuilder text = new StringBuilder(ENTRY).append("  Notes:\n");
    for (int i = 0; i < 1_000; i++) {
      text.append("    - n").append(i).append('\n');
    }

    LedgerFile file = LedgerFile.parse("a.yaml", text.toString());

    // The entry, its three keys and values, Notes and its list come to 9 nodes: item 992 is one
    // too many.
    assertThat(file.problems())
        .extracting(Problem::toString)
        .containsExactly("a.yaml:996: an entry with more than 1,000 keys, values and items");
  }

  @Test
  void aliasesAndASecondDocumentAreProblems() {
    String alias =
        "- &a\n  Host: pvm001.example.com\n  IPv4: 192.0.2.10\n  MAC: 52:54:00:be:00:00\n- *a\n";
    String twoDocuments = ENTRY + "---\n" + ENTRY;

    assertThat(LedgerFile.parse("a.yaml", alias).problems())
        .extracting(Problem::toString)
        .containsExactly(
            "a.yaml:5: aliases (*name) are not allowed in the ledger; write the value out");
    assertThat(LedgerFile.parse("a.yaml", twoDocuments).problems())
        .extracting(Problem::toString)
        .containsExactly("a.yaml:4: the file must be one YAML document; a second one starts here");
  }

  @Test
  void aFileOfManyBrokenEntriesListsTheFirstThousandProblemsAndCountsTheRest() {
    String text = "- Host: x\n".repeat(5_000);

    LedgerFile file = LedgerFile.parse("a.yaml", text);

    // Each entry lacks a MAC and an address: 10,000 problems, 1,000 listed.
    assertThat(file.problems()).hasSize(LedgerLimits.MAX_PROBLEMS + 1);
    assertThat(file.problems().get(LedgerLimits.MAX_PROBLEMS).toString())
        .isEqualTo(
            "a.yaml:501: and 9,000 more problems from here on (Berth lists the first 1,000)");
  }

  @Test
  void aLedgerOfManyFilesCountsItsEntriesTogether() {
    LedgerFile big = LedgerFile.parse("a.yaml", "- x\n".repeat(LedgerLimits.MAX_ENTRIES / 2 + 1));
    LedgerFile other = LedgerFile.parse("b.yaml", "- x\n".repeat(LedgerLimits.MAX_ENTRIES / 2));

    LedgerSnapshot ledger = LedgerSnapshot.of("c0ffee", List.of(big, other));

    assertThat(ledger.problems())
        .first()
        .hasToString(
            "b.yaml: the ledger has more than 100,000 entries with this file, the limit of a"
                + " whole ledger");
  }
}
