package org.berth.ledger.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;
import org.junit.jupiter.api.Test;

class LedgerFileTest {

  static final String SAMPLE =
      """
      # Test machines, building 7
      - Host: pvm001.example.com
        IPv4: 131.173.12.22
        IPv6: 2001:638:508:160::83ad:1705
        MAC:  DE:AD:BE:EF:00:00
        User: Lars
        Date: 2022-02-19
      - Host: pvm002.example.com   # the fast one
        IPv4: 131.173.12.23
        MAC:  DE:AD:BE:EF:00:01
        Rack: B4
      - Host: pvm003.example.com
        IPv4: 131.173.12.24
        MAC:  DE:AD:BE:EF:00:02
      """;

  @Test
  void writesAnUntouchedFileBackByteForByte() throws IOException {
    String seed = Files.readString(Path.of("ipam-seed/addresses.yaml"));
    assertThat(LedgerFile.parse("addresses.yaml", seed).text()).isEqualTo(seed);
    assertThat(LedgerFile.parse("a.yaml", SAMPLE).text()).isEqualTo(SAMPLE);
    String crlf = SAMPLE.replace("\n", "\r\n");
    assertThat(LedgerFile.parse("a.yaml", crlf).text()).isEqualTo(crlf);
  }

  @Test
  void readsEntriesWithTheirLinesAndHolders() {
    LedgerFile file = LedgerFile.parse("a.yaml", SAMPLE);

    assertThat(file.problems()).isEmpty();
    assertThat(file.entries()).hasSize(3);
    LedgerEntry first = file.entries().get(0);
    assertThat(first.line()).isEqualTo(2);
    assertThat(first.user()).isEqualTo("Lars");
    assertThat(first.mac().value()).isEqualTo("de:ad:be:ef:00:00");
    assertThat(first.ipv6()).hasToString("2001:638:508:160::83ad:1705");
    assertThat(file.entries().get(1).isFree()).isTrue();
    assertThat(file.entries().get(2).line()).isEqualTo(12);
  }

  @Test
  void claimAddsAlignedUserAndDateAfterTheAddressKeysOnly() {
    LedgerFile claimed =
        LedgerFile.parse("a.yaml", SAMPLE)
            .claim(Hostname.of("pvm002.example.com"), "alice", "2026-11-21");

    assertThat(claimed.text())
        .isEqualTo(
            SAMPLE.replace(
                "  MAC:  DE:AD:BE:EF:00:01\n",
                "  MAC:  DE:AD:BE:EF:00:01\n  User: alice\n  Date: 2026-11-21\n"));
    assertThat(claimed.entry(Hostname.of("pvm002.example.com")).orElseThrow().user())
        .isEqualTo("alice");
    assertThat(claimed.entries().get(2).line()).isEqualTo(14);
  }

  @Test
  void releaseAfterClaimGivesBackTheOriginalText() {
    LedgerFile file = LedgerFile.parse("a.yaml", SAMPLE);
    Hostname host = Hostname.of("pvm003.example.com");

    LedgerFile back = file.claim(host, "bob", "2026-11-21").release(host);

    assertThat(back.text()).isEqualTo(SAMPLE);
    assertThat(back.entry(host).orElseThrow().isFree()).isTrue();
  }

  @Test
  void releaseRemovesOnlyTheHoldersLines() {
    LedgerFile released =
        LedgerFile.parse("a.yaml", SAMPLE).release(Hostname.of("pvm001.example.com"));

    assertThat(released.text()).isEqualTo(SAMPLE.replace("  User: Lars\n  Date: 2022-02-19\n", ""));
  }

  @Test
  void claimFillsAnEmptyUserKeyInPlace() {
    String text =
        "- Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n  User:\n  Note: x\n";

    LedgerFile claimed =
        LedgerFile.parse("a.yaml", text).claim(Hostname.of("a.example.com"), "alice", "2026-11-21");

    assertThat(claimed.text())
        .isEqualTo(
            "- Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n  User: alice\n  Date: 2026-11-21\n  Note: x\n");
  }

  @Test
  void claimKeepsWindowsLineEndings() {
    String crlf = SAMPLE.replace("\n", "\r\n");
    LedgerFile claimed =
        LedgerFile.parse("a.yaml", crlf)
            .claim(Hostname.of("pvm003.example.com"), "bob", "2026-01-02");

    assertThat(claimed.text()).contains("  User: bob\r\n  Date: 2026-01-02\r\n");
    assertThat(claimed.text().replace("\r\n", "")).doesNotContain("\n");
  }

  @Test
  void retireRemovesTheEntry() {
    LedgerFile retired =
        LedgerFile.parse("a.yaml", SAMPLE).retire(Hostname.of("pvm003.example.com"));

    assertThat(retired.entries())
        .extracting(e -> e.host().value())
        .doesNotContain("pvm003.example.com");
    assertThat(retired.text()).doesNotContain("131.173.12.24").endsWith("Rack: B4\n");
  }

  @Test
  void appendWritesNewEntriesInTheFilesStyle() {
    LedgerFile file =
        LedgerFile.parse("a.yaml", SAMPLE)
            .append(
                List.of(
                    new LedgerFile.NewEntry(
                        Hostname.of("pvm004.example.com"),
                        Ipv4Address.parse("131.173.12.25"),
                        null,
                        MacAddress.of("de:ad:be:ef:00:03"))));

    assertThat(file.text())
        .endsWith("- Host: pvm004.example.com\n  IPv4: 131.173.12.25\n  MAC:  DE:AD:BE:EF:00:03\n");
    assertThat(file.problems()).isEmpty();
    assertThat(file.entries()).hasSize(4);
  }

  @Test
  void reportsValuesThatSpanLinesOrHoldControlCharacters() {
    String text =
        """
        - Host: a.example.com
          IPv4: 192.0.2.1
          MAC: 52:54:00:00:00:01
          User: "lars\\nApproved: yes"
        - Host: b.example.com
          IPv4: 192.0.2.2
          MAC: 52:54:00:00:00:02
          User: |
            eve
            admin
          Note: "tab\\there"
        """;

    List<String> problems =
        LedgerFile.parse("a.yaml", text).problems().stream().map(Problem::toString).toList();

    assertThat(problems)
        .containsExactly(
            "a.yaml:4 (a.example.com): User must be one line without control characters",
            "a.yaml:8 (b.example.com): User must be one line without control characters",
            "a.yaml:11 (b.example.com): Note must be one line without control characters");
  }

  @Test
  void aFileThatIsNotUtf8IsAProblemNamingTheLineOfTheBadByteAndHasNoEntries() {
    byte[] latin1 =
        "- Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n# J\u00fcrgen\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    LedgerFile file = LedgerFile.parse("a.yaml", latin1);

    assertThat(file.entries()).isEmpty();
    assertThat(file.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(4);
              assertThat(p.message()).startsWith("not valid UTF-8 (byte 69)");
            });
    assertThat(
            LedgerFile.parse(
                    "a.yaml",
                    "- Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n# J\u00fcrgen\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .problems())
        .isEmpty();
  }

  @Test
  void reportsMalformedYamlWithItsLine() {
    LedgerFile file =
        LedgerFile.parse("a.yaml", "- Host: a.example.com\n  IPv4: [192.0.2.1\n  MAC: x\n");

    assertThat(file.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.file()).isEqualTo("a.yaml");
              assertThat(p.line()).isGreaterThan(1);
              assertThat(p.message()).startsWith("not valid YAML");
            });
  }

  @Test
  void reportsMissingHostBadMacAndBadAddressesByLine() {
    String text =
        """
        - IPv4: 192.0.2.1
          MAC: 52:54:00:00:00:01
        - Host: b.example.com
          IPv4: 192.0.2.300
          MAC: 52:54:00:00:00:0G
        - Host: -bad-.example.com
          IPv6: 2001:db8::zz
          MAC: 52:54:00:00:00:03
        - Host: d.example.com
          MAC: 52:54:00:00:00:04
        """;

    List<String> problems =
        LedgerFile.parse("net.yaml", text).problems().stream().map(Problem::toString).toList();

    assertThat(problems)
        .containsExactly(
            "net.yaml:1: Host is required",
            "net.yaml:5 (b.example.com): MAC: '52:54:00:00:00:0G' is not a MAC address (six hex pairs, e.g. 52:54:00:12:34:56)",
            "net.yaml:4 (b.example.com): IPv4: '192.0.2.300' is not an IPv4 address (four numbers 0 to 255, e.g. 192.0.2.10)",
            "net.yaml:6 (-bad-.example.com): Host: '-bad-.example.com' is not a host name (labels of letters, digits and inner hyphens, at most 63 characters, separated by dots)",
            "net.yaml:7 (-bad-.example.com): IPv6: '2001:db8::zz' is not an IPv6 address (e.g. 2001:db8::10)",
            "net.yaml:9 (d.example.com): IPv4 or IPv6 is required");
  }

  @Test
  void readsAFileOfSixtyFiveThousandEntries() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 65_536; i++) {
      text.append(
          "- Host: pvm%05d.example.com\n  IPv4: 10.1.%d.%d\n  MAC:  52:54:00:00:%02X:%02X\n"
              .formatted(i, i >> 8, i & 255, i >> 8, i & 255));
    }

    LedgerFile file = LedgerFile.parse("addresses.yaml", text.toString());

    assertThat(text.length()).isGreaterThan(4_000_000);
    assertThat(file.problems()).isEmpty();
    assertThat(file.entries()).hasSize(65_536);
  }

  @Test
  void readsMacsInAnyCommonSpelling() {
    for (String spelling :
        List.of("DE:AD:BE:EF:00:01", "de-ad-be-ef-00-01", "dead.beef.0001", "deadbeef0001")) {
      assertThat(MacAddress.of(spelling).value()).isEqualTo("de:ad:be:ef:00:01");
    }
  }

  @Test
  void snapshotReportsDuplicatesAcrossFiles() {
    LedgerFile a =
        LedgerFile.parse(
            "a.yaml", "- Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n");
    LedgerFile b =
        LedgerFile.parse(
            "b.yaml",
            "- Host: b.example.com\n  IPv4: 192.0.2.2\n  MAC: 52-54-00-00-00-01\n- Host: c.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:03\n");

    LedgerSnapshot snapshot = LedgerSnapshot.of("c0ffee", List.of(a, b));

    assertThat(snapshot.isValid()).isFalse();
    assertThat(snapshot.problems().stream().map(Problem::toString))
        .containsExactly(
            "b.yaml:1 (b.example.com): duplicate MAC 52:54:00:00:00:01, already used by a.example.com at a.yaml:1",
            "b.yaml:4 (c.example.com): duplicate IPv4 192.0.2.1, already used by a.example.com at a.yaml:1");
  }

  @Test
  void claimOfAnEntryReleasedByHandWithItsDateAboveAnEmptyUserTouchesOnlyThatEntry() {
    String a = "- Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n";
    String b = "- Host: b.example.com\n  IPv4: 192.0.2.2\n  MAC: 52:54:00:00:00:02\n";
    String text = a + "  Date: 2022-02-19\n  User:\n" + b;

    LedgerFile claimed =
        LedgerFile.parse("a.yaml", text).claim(Hostname.of("a.example.com"), "alice", "2026-12-03");

    assertThat(claimed.text()).isEqualTo(a + "  User: alice\n  Date: 2026-12-03\n" + b);
    assertThat(LedgerFile.parse("a.yaml", claimed.text()).entries())
        .extracting(LedgerEntry::user)
        .containsExactly("alice", null);
  }

  @Test
  void layoutsBerthCannotEditByLinesAreProblemsNamingTheLine() {
    String b = "- Host: b.example.com\n  IPv4: 192.0.2.2\n  MAC: 52:54:00:00:00:02\n";

    assertThat(
            LedgerFile.parse(
                    "a.yaml",
                    "- {Host: a.example.com, IPv4: 192.0.2.1, MAC: 52:54:00:00:00:01}\n" + b)
                .problems())
        .extracting(Problem::toString)
        .containsExactly(
            "a.yaml:1: an entry in { } form; write it as one \"Key: value\" per line so that Berth"
                + " can edit it");
    assertThat(
            LedgerFile.parse(
                    "a.yaml",
                    b
                        + "- User: bob\n  Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n")
                .problems())
        .extracting(Problem::toString)
        .containsExactly(
            "a.yaml:4: User must not be the entry's first key: Berth adds and removes it");
    assertThat(
            LedgerFile.parse(
                    "a.yaml",
                    b
                        + "-   # spare\n  Host: a.example.com\n  IPv4: 192.0.2.1\n  MAC: 52:54:00:00:00:01\n")
                .problems())
        .extracting(Problem::toString)
        .containsExactly(
            "a.yaml:5: the entry's \"-\" must be on the line of its first key, or alone on the"
                + " line above it");
    assertThat(LedgerFile.parse("a.yaml", b.replace("\n", "\r")).problems())
        .extracting(Problem::toString)
        .containsExactly(
            "a.yaml:1: a line break other than \\n or \\r\\n (U+000D); save the file with \\n or"
                + " \\r\\n line breaks");
  }

  @Test
  void aFileWithProblemsIsNeverEdited() {
    LedgerFile file = LedgerFile.parse("a.yaml", SAMPLE + "- Host: broken\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> file.claim(Hostname.of("pvm002.example.com"), "alice", "2026-12-03"))
        .isInstanceOf(EntryNotEditable.class)
        .hasMessageStartingWith("a.yaml has problems (a.yaml:15");
  }

  @Test
  void eachLineBelongsToTheHostOfItsEntryEvenWhereTheFileDoesNotParse() {
    List<String> lines =
        List.of(
            "# pool A",
            "- Host: pvm001.example.com",
            "  MAC: 52:54:00:be:00:01",
            "- MAC: 52:54:00:be:00:02",
            "  host: 'pvm002.example.com'",
            "  IPv4: [unclosed",
            "-");

    String[] hosts = LedgerFile.hostOfEachLine(lines.size(), lines::get);

    assertThat(hosts)
        .containsExactly(
            null,
            "pvm001.example.com",
            "pvm001.example.com",
            "pvm002.example.com",
            "pvm002.example.com",
            "pvm002.example.com",
            null);
  }
}
