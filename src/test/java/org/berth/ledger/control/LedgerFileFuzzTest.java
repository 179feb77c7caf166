package org.berth.ledger.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.Test;

/**
 * Whatever a push puts in a ledger file, reading it never throws, every problem names a line of the
 * file, the text of a file that was read is the input byte for byte, and a claim or a release
 * changes only the lines of its own entry. The inputs are random edits of a good ledger, random
 * bytes and random nesting, each made from a fixed seed that every failure names together with the
 * start of the input; {@code editedLedger(new Random(seed))}, {@code randomBytes(new Random(seed))}
 * and {@code nesting(new Random(seed))} make that input again.
 */
@Standalone
class LedgerFileFuzzTest {

  private static final String PATH = "addresses.yaml";
  private static final String ALICE = "alice";
  private static final String DAY = "2026-12-03";

  private static final int EDIT_CASES = 1_500;
  private static final int BYTE_CASES = 1_500;
  private static final int NESTING_CASES = 300;

  private static final String SEED_FILE = read("ipam-seed/addresses.yaml");

  /** What edits put into lines: YAML indicators, control characters, line breaks, unicode. */
  private static final String[] SPICE = {
    "\t",
    "\0",
    "\u0001",
    "\u001b",
    "\u007f",
    "\r",
    "\n",
    "\r\n",
    "'",
    "\"",
    "[",
    "]",
    "{",
    "}",
    "&",
    "&a ",
    "*",
    "*a",
    "!",
    "!!str ",
    "!!binary ",
    "|",
    "|-",
    ">",
    "#",
    " # note",
    "---",
    "...",
    "%",
    "@",
    "`",
    ",",
    "?",
    "? ",
    ":",
    ": ",
    "- ",
    "-",
    " ",
    "  ",
    "\u00e9",
    "\u4e2d",
    "\ud83d\ude00",
    "\u2028",
    "\u2029",
    "\u0085",
    "\u00a0",
    "\ufeff",
    "\ud800",
    "\\",
    "x",
    "0",
    "~",
    "null",
    "<<: ",
    "User: ",
    "Host: "
  };

  /** Whole lines edits insert. */
  private static final String[] LINES = {
    "- Host: pvm900.example.com",
    "  Host: pvm901.example.com",
    "  IPv4: 192.0.2.250",
    "  IPv6: 2001:db8::fa",
    "  MAC:  52:54:00:BE:FF:FF",
    "  User: bob",
    "  User:",
    "  Date: 2026-01-01",
    "  Rack: B4",
    "  Tags: [a, b",
    "  Note: {x: 1}",
    "  User: |",
    "    eve",
    "  ? complex",
    "  - x",
    "-",
    "- ",
    "",
    "#",
    "# comment",
    "---",
    "...",
    "%YAML 1.2",
    "\t- Host: pvm902.example.com"
  };

  private static final Pattern USER_OR_DATE_KEY =
      Pattern.compile("(?s)[ \\t]*(?:-[ \\t]+)?(?i:user|date)[ \\t]*:.*");
  private static final Pattern CLAIMED_USER = Pattern.compile("[ \\t]*User:[ \\t]+alice\\r?");
  private static final Pattern CLAIMED_DATE = Pattern.compile("[ \\t]*Date:[ \\t]+2026-12-03\\r?");
  private static final Pattern TOO_LARGE =
      Pattern.compile("the file is .+, over the limit of .+ per ledger file");
  private static final Pattern BAD_BYTE = Pattern.compile("not valid UTF-8 \\(byte (\\d+)\\).*");

  @Test
  void randomEditsOfAGoodLedgerAreReadWithoutThrowingAndEditedOnlyInsideTheEntry() {
    Failures failures = new Failures();
    Stats stats = new Stats();
    for (int i = 0; i < EDIT_CASES; i++) {
      long seed = seed(1, i);
      String text = editedLedger(new Random(seed));
      checkText(Case.of(seed, "editedLedger", text), text, failures, stats);
    }

    failures.assertNone(EDIT_CASES);
    // The good half leaves entries to claim and release: the checks above did run.
    assertThat(stats.claims).isGreaterThan(EDIT_CASES / 3);
    assertThat(stats.releases).isGreaterThan(EDIT_CASES / 6);
  }

  @Test
  void randomBytesAreReadOrAreOneProblemAtTheFirstBadByteAndNeverWritten() {
    Failures failures = new Failures();
    Stats stats = new Stats();
    int invalid = 0;
    for (int i = 0; i < BYTE_CASES; i++) {
      long seed = seed(2, i);
      byte[] bytes = randomBytes(new Random(seed));
      Case c = Case.of(seed, "randomBytes", bytes);
      LedgerFile file;
      try {
        file = LedgerFile.parse(PATH, bytes);
      } catch (Throwable t) {
        failures.add("parse(bytes) threw " + t.getClass().getSimpleName(), c, stackOf(t));
        continue;
      }
      String decoded = strictUtf8(bytes);
      if (decoded != null) {
        checkParsed(c, decoded, file, failures, stats);
      } else {
        invalid++;
        checkNotUtf8(c, bytes, file, failures);
      }
    }

    failures.assertNone(BYTE_CASES);
    assertThat(invalid).isBetween(BYTE_CASES / 5, BYTE_CASES * 4 / 5);
    assertThat(stats.claims).isGreaterThan(BYTE_CASES / 10);
  }

  @Test
  void nestingAtAnyDepthIsReadOrRefusedWithALineWithoutThrowing() {
    Failures failures = new Failures();
    Stats stats = new Stats();
    int refused = 0;
    int read = 0;
    for (int i = 0; i < NESTING_CASES; i++) {
      long seed = seed(3, i);
      Nest nest = nesting(new Random(seed));
      Case c = Case.of(seed, "nesting", nest.text());
      LedgerFile file = checkText(c, nest.text(), failures, stats);
      if (file == null) {
        continue;
      }
      boolean longLine =
          nest.text().lines().anyMatch(l -> l.length() > LedgerLimits.MAX_LINE_CHARS);
      if (longLine || !nest.closed()) {
        refused++;
        if (file.problems().isEmpty()) {
          failures.add("broken nesting without a problem", c, "levels " + nest.levels());
        }
      } else if (nest.levels() > LedgerLimits.MAX_DEPTH) {
        refused++;
        // A file that is a mapping is refused as not a list before its nesting is read.
        String refusal =
            nest.text().startsWith("{")
                ? "the file must be a list of entries"
                : "nested more than 16 levels deep";
        if (file.problems().size() != 1
            || !file.problems().get(0).message().startsWith(refusal)
            || !file.entries().isEmpty()) {
          failures.add(
              "too deep but not refused for it",
              c,
              "levels " + nest.levels() + ", problems " + file.problems());
        }
      } else if (nest.inEntries()) {
        read++;
        List<String> hosts = file.entries().stream().map(e -> e.host().value()).toList();
        if (!hosts.equals(List.of("pvm001.example.com", "pvm002.example.com"))) {
          failures.add(
              "nesting within the limit lost entries",
              c,
              "levels " + nest.levels() + ", hosts " + hosts + ", problems " + file.problems());
        }
      }
    }

    failures.assertNone(NESTING_CASES);
    assertThat(refused).isGreaterThan(NESTING_CASES / 3);
    assertThat(read).isGreaterThan(NESTING_CASES / 10);
  }

  /**
   * The seed of case {@code i} of a test: spread over all longs, since {@link Random}'s first
   * numbers from nearby seeds are nearly the same.
   */
  private static long seed(int test, int i) {
    return (test * 1_000_003L + i) * 0x9E3779B97F4A7C15L;
  }

  // ---- checks --------------------------------------------------------------------------------

  /** Parses {@code text} and checks it; returns the file, or null if parsing threw. */
  private static LedgerFile checkText(Case c, String text, Failures failures, Stats stats) {
    LedgerFile file;
    try {
      file = LedgerFile.parse(PATH, text);
    } catch (Throwable t) {
      failures.add("parse threw " + t.getClass().getSimpleName(), c, stackOf(t));
      return null;
    }
    checkParsed(c, text, file, failures, stats);
    return file;
  }

  private static void checkParsed(
      Case c, String text, LedgerFile file, Failures failures, Stats stats) {
    List<String> lines = Arrays.asList(text.split("\n", -1));
    checkProblemLines(c, file, lines.size(), failures);
    String back;
    try {
      back = file.text();
    } catch (Throwable t) {
      failures.add("text() threw " + t.getClass().getSimpleName(), c, stackOf(t));
      return;
    }
    if (!back.equals(text)) {
      failures.add("text() is not the input", c, "text(): " + excerpt(back));
      return;
    }
    List<LedgerEntry> entries = file.entries();
    if (entries.isEmpty()) {
      return;
    }
    // The entries edits reach: a host written twice is edited at its first entry.
    List<Integer> free = new ArrayList<>();
    List<Integer> taken = new ArrayList<>();
    for (int k = 0; k < entries.size(); k++) {
      LedgerEntry e = entries.get(k);
      if (!file.entry(e.host()).map(e::equals).orElse(false)) {
        continue;
      }
      (e.isFree() ? free : taken).add(k);
    }
    Random pick = new Random(c.seed() * 31 + 7);
    if (!file.problems().isEmpty()) {
      // Berth refuses a ledger with problems as a whole; its files are never edited.
      List<Integer> any = free.isEmpty() ? taken : free;
      if (!any.isEmpty()) {
        checkRefused(c, file, any.get(pick.nextInt(any.size())), free == any, failures);
      }
      return;
    }
    if (!free.isEmpty()) {
      stats.claims++;
      checkEdit(c, file, lines, free.get(pick.nextInt(free.size())), true, failures);
    }
    if (!taken.isEmpty()) {
      stats.releases++;
      checkEdit(c, file, lines, taken.get(pick.nextInt(taken.size())), false, failures);
    }
  }

  private static void checkProblemLines(Case c, LedgerFile file, int lineCount, Failures f) {
    for (Problem p : file.problems()) {
      if (!PATH.equals(p.file())) {
        f.add("problem names another file", c, p.toString());
      }
      // Line 0 is the whole file, only for a file over the size limit (LedgerFile.tooLarge).
      boolean wholeFile = p.line() == 0 && TOO_LARGE.matcher(p.message()).matches();
      // A lone "\r" (an old Mac line break) is a problem of its own, so YAML's lines and the
      // file's lines are the same lines.
      if (!wholeFile && (p.line() < 1 || p.line() > lineCount)) {
        f.add("problem line out of range", c, "line " + p.line() + " of " + lineCount + ": " + p);
      }
    }
  }

  /** An edit of a file with problems is refused, as Berth's own error, and nothing else. */
  private static void checkRefused(Case c, LedgerFile file, int k, boolean claim, Failures f) {
    LedgerEntry target = file.entries().get(k);
    try {
      if (claim) {
        file.claim(target.host(), ALICE, DAY);
      } else {
        file.release(target.host());
      }
      f.add("a file with problems was edited", c, target.host() + ": " + file.problems());
    } catch (EntryNotEditable expected) {
      // refused, nothing written
    } catch (Throwable t) {
      f.add("editing a file with problems threw " + t.getClass().getSimpleName(), c, stackOf(t));
    }
  }

  /**
   * Claims (or releases) {@code entries().get(k)} and checks that only its lines changed: every
   * line before its first line and every line from the next entry on stays, the lines removed are
   * User or Date lines, a claim adds exactly its User and Date lines, and reading the result again
   * gives the same entries with only this one's holder changed.
   */
  private static void checkEdit(
      Case c, LedgerFile file, List<String> before, int k, boolean claim, Failures f) {
    List<LedgerEntry> entries = file.entries();
    LedgerEntry target = entries.get(k);
    String what = (claim ? "claim " : "release ") + target.host() + " (line " + target.line() + ")";
    LedgerFile edited;
    try {
      edited = claim ? file.claim(target.host(), ALICE, DAY) : file.release(target.host());
    } catch (Throwable t) {
      // An entry of a file without problems can always be claimed or released: layouts Berth
      // cannot edit by lines ({ } entries, User or Date first, a "-" apart from the entry) are
      // problems of the file.
      f.add(
          (claim ? "claim" : "release") + " threw " + t.getClass().getSimpleName(),
          c,
          what + ": " + stackOf(t));
      return;
    }
    String text = edited.text();
    List<String> after = Arrays.asList(text.split("\n", -1));
    int n = before.size();
    int m = after.size();
    int start = target.line() - 1;
    // The entry's lines run to the next entry's first line, or to the end of the file; an entry
    // that shares its last line with the next one (a flow list) takes that line along.
    int end = k + 1 < entries.size() ? Math.max(start + 1, entries.get(k + 1).line() - 1) : n;
    String diff = what + "\nresult: " + excerpt(text);
    if (start < 0 || start >= end || end > n || m < start + (n - end)) {
      f.add("entry lines out of range", c, "entry lines " + start + ".." + end + " of " + n);
      return;
    }
    if (!after.subList(0, start).equals(before.subList(0, start))) {
      f.add("edit changed lines before the entry", c, diff);
      return;
    }
    if (!after.subList(m - (n - end), m).equals(before.subList(end, n))) {
      f.add("edit changed lines after the entry", c, diff);
      return;
    }
    List<String> old = before.subList(start, end);
    List<String> now = after.subList(start, m - (n - end));
    if ((long) old.size() * now.size() <= 1_000_000) {
      boolean[][] kept = lcs(old, now);
      String removedWrong = removedOtherThanUserAndDate(old, kept[0]);
      if (removedWrong != null) {
        f.add("edit removed a line other than User and Date", c, removedWrong + "\n" + diff);
        return;
      }
      List<String> added = new ArrayList<>();
      for (int j = 0; j < now.size(); j++) {
        if (!kept[1][j]) {
          added.add(now.get(j));
        }
      }
      boolean addedRight =
          claim
              ? added.size() == 2
                  && added.stream().anyMatch(l -> CLAIMED_USER.matcher(l).matches())
                  && added.stream().anyMatch(l -> CLAIMED_DATE.matcher(l).matches())
              : added.isEmpty();
      if (!addedRight) {
        f.add("edit added other lines", c, "added " + added + "\n" + diff);
        return;
      }
    }
    LedgerFile again;
    try {
      again = LedgerFile.parse(PATH, text);
    } catch (Throwable t) {
      f.add("reading an edited file threw " + t.getClass().getSimpleName(), c, stackOf(t));
      return;
    }
    List<LedgerEntry> expected = new ArrayList<>();
    int delta = m - n;
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry e = entries.get(i);
      if (i < k) {
        expected.add(e);
      } else if (i == k) {
        expected.add(
            new LedgerEntry(
                e.file(),
                e.line(),
                e.host(),
                e.ipv4(),
                e.ipv6(),
                e.mac(),
                claim ? ALICE : null,
                // A release frees the entry; a second Date key it had (a problem of its own) stays.
                claim ? DAY : again.entry(e.host()).map(LedgerEntry::date).orElse(null)));
      } else {
        expected.add(
            new LedgerEntry(
                e.file(),
                e.line() + delta,
                e.host(),
                e.ipv4(),
                e.ipv6(),
                e.mac(),
                e.user(),
                e.date()));
      }
    }
    if (!again.entries().equals(expected)) {
      f.add(
          "edited file read again has other entries",
          c,
          difference("expected", expected, "read", again.entries()) + "\n" + diff);
      return;
    }
    if (!edited.entries().equals(again.entries())) {
      f.add(
          "edited file disagrees with its text read again",
          c,
          difference("edited", edited.entries(), "read", again.entries()) + "\n" + diff);
    }
  }

  /** The first entry where two lists differ. */
  private static String difference(
      String aName, List<LedgerEntry> a, String bName, List<LedgerEntry> b) {
    int i = 0;
    while (i < Math.min(a.size(), b.size()) && a.get(i).equals(b.get(i))) {
      i++;
    }
    return "entry "
        + (i + 1)
        + " of "
        + a.size()
        + " / "
        + b.size()
        + "\n"
        + aName
        + ": "
        + (i < a.size() ? a.get(i) : "none")
        + "\n"
        + bName
        + ": "
        + (i < b.size() ? b.get(i) : "none");
  }

  /**
   * The first removed line that is neither a User or Date key line nor a continuation of one (a
   * blank or more indented line right after it), or null.
   */
  private static String removedOtherThanUserAndDate(List<String> old, boolean[] kept) {
    int keyIndent = -1;
    for (int i = 0; i < old.size(); i++) {
      String line = old.get(i);
      if (kept[i]) {
        keyIndent = -1;
      } else if (USER_OR_DATE_KEY.matcher(line).matches()) {
        keyIndent = indent(line);
      } else if (keyIndent < 0 || !(line.isBlank() || indent(line) > keyIndent)) {
        return "removed " + quote(line);
      }
    }
    return null;
  }

  private static void checkNotUtf8(Case c, byte[] bytes, LedgerFile file, Failures f) {
    // LedgerFile.parse(String, byte[]): one problem naming the line of the first bad byte, no
    // entries, and nothing is ever written over it.
    if (file.problems().size() != 1) {
      f.add("not UTF-8 but not one problem", c, String.valueOf(file.problems()));
      return;
    }
    Problem p = file.problems().get(0);
    Matcher bad = BAD_BYTE.matcher(p.message());
    if (!bad.matches()) {
      f.add("not UTF-8 but another problem", c, p.toString());
      return;
    }
    int offset = Integer.parseInt(bad.group(1)) - 1;
    int line = 1;
    for (int i = 0; i < Math.min(offset, bytes.length); i++) {
      line += bytes[i] == '\n' ? 1 : 0;
    }
    if (offset < 0
        || offset >= bytes.length
        || strictUtf8(Arrays.copyOf(bytes, offset)) == null
        || p.line() != line) {
      f.add("not UTF-8 but the wrong byte or line", c, p + " (expected line " + line + ")");
    }
    if (!file.entries().isEmpty() || file.size() != 0) {
      f.add("not UTF-8 but has entries", c, String.valueOf(file.entries()));
    }
    for (Runnable write : List.<Runnable>of(file::text, () -> file.append(List.of()))) {
      try {
        write.run();
        f.add("not UTF-8 but could be written", c, p.toString());
      } catch (IllegalStateException expected) {
        // never written
      } catch (Throwable t) {
        f.add("not UTF-8, writing threw " + t.getClass().getSimpleName(), c, stackOf(t));
      }
    }
  }

  // ---- inputs --------------------------------------------------------------------------------

  /** A good ledger with one to four random edits of its lines. */
  static String editedLedger(Random r) {
    // Half the cases are good ledgers in random layouts, which must be edited exactly; the other
    // half are edited at random and mostly break a rule, which must be reported and not edited.
    boolean mutate = r.nextBoolean();
    String base = r.nextInt(10) == 0 ? SEED_FILE : goodLedger(r, !mutate);
    List<String> lines = new ArrayList<>(Arrays.asList(base.split("\n", -1)));
    int edits = mutate ? 1 + r.nextInt(4) : 0;
    for (int i = 0; i < edits; i++) {
      edit(r, lines);
    }
    return String.join("\n", lines);
  }

  private static void edit(Random r, List<String> lines) {
    int at = r.nextInt(lines.size());
    String line = lines.get(at);
    switch (r.nextInt(10)) {
      case 0 -> lines.add(r.nextInt(lines.size() + 1), randomLine(r));
      case 1 -> {
        if (lines.size() > 1) {
          lines.remove(at);
        }
      }
      case 2 -> lines.add(at, line);
      case 3 ->
          Collections.swap(
              lines,
              at,
              r.nextBoolean() ? Math.min(at + 1, lines.size() - 1) : r.nextInt(lines.size()));
      case 4, 5, 6 -> {
        int p = r.nextInt(line.length() + 1);
        lines.set(at, line.substring(0, p) + SPICE[r.nextInt(SPICE.length)] + line.substring(p));
      }
      case 7 -> {
        int from = r.nextInt(line.length() + 1);
        int to = Math.min(line.length(), from + 1 + r.nextInt(4));
        lines.set(at, line.substring(0, from) + line.substring(Math.max(from, to)));
      }
      case 8 -> {
        String body = line.stripLeading();
        String indent =
            r.nextInt(4) == 0 ? "\t" : " ".repeat(r.nextInt(7)) + (r.nextInt(8) == 0 ? "\t" : "");
        lines.set(at, indent + body);
      }
      default ->
          lines.set(at, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line + "\r");
    }
  }

  private static String randomLine(Random r) {
    if (r.nextInt(4) > 0) {
      return LINES[r.nextInt(LINES.length)];
    }
    StringBuilder line = new StringBuilder();
    for (int i = r.nextInt(6); i >= 0; i--) {
      line.append(SPICE[r.nextInt(SPICE.length)]);
    }
    return line.toString();
  }

  /**
   * A ledger with no problems, written the ways people write it: comments, blank lines, aligned
   * values, unknown keys, keys in any order, quoted values, an indented list, a lone "-" (with a
   * comment or not), an entry on one line, Windows, old Mac or mixed line endings, no final line
   * break.
   */
  static String goodLedger(Random r) {
    return goodLedger(r, true);
  }

  /**
   * A valid ledger in a random layout; with {@code berthLayout} false it may also use layouts that
   * are valid YAML but that Berth cannot edit by lines, and so reports as problems: entries in { }
   * form, User or Date as the first key, a "-" with a comment after it, "\r" line breaks.
   */
  static String goodLedger(Random r, boolean berthLayout) {
    StringBuilder out = new StringBuilder();
    if (r.nextInt(3) == 0) {
      out.append("# Test machines, building ").append(r.nextInt(10)).append('\n');
    }
    if (r.nextInt(8) == 0) {
      out.append("---\n");
    }
    int listIndent = r.nextInt(5) == 0 ? 2 : 0;
    boolean align = r.nextBoolean();
    int count = 1 + r.nextInt(20);
    int first = 1 + r.nextInt(900);
    for (int i = 0; i < count; i++) {
      if (r.nextInt(6) == 0) {
        out.append(r.nextBoolean() ? "\n" : "# rack " + r.nextInt(9) + "\n");
      }
      out.append(goodEntry(r, first + i, listIndent, align, berthLayout));
    }
    String text = out.toString();
    if (r.nextInt(8) == 0) {
      text = text.substring(0, text.length() - 1);
    }
    return switch (r.nextInt(40)) {
      case 0, 1, 2, 3, 4, 5 -> text.replace("\n", "\r\n");
      case 6 -> berthLayout ? text : text.replace("\n", "\r"); // classic Mac OS
      case 7, 8, 9, 10, 11, 12 -> {
        StringBuilder mixed = new StringBuilder();
        for (String line : text.split("\n", -1)) {
          mixed.append(line).append(r.nextBoolean() ? "\r\n" : "\n");
        }
        yield mixed.substring(0, mixed.length() - (mixed.toString().endsWith("\r\n") ? 2 : 1));
      }
      default -> text;
    };
  }

  private static String goodEntry(
      Random r, int n, int listIndent, boolean align, boolean berthLayout) {
    List<String[]> keys = new ArrayList<>();
    keys.add(new String[] {"Host", quoted(r, "pvm%03d.example.com".formatted(n))});
    boolean v6 = r.nextInt(3) > 0;
    if (!v6 || r.nextInt(5) > 0) {
      keys.add(new String[] {"IPv4", "10.%d.%d.%d".formatted(n >> 16, (n >> 8) & 255, n & 255)});
    }
    if (v6) {
      keys.add(new String[] {"IPv6", "2001:db8:0:160::" + Integer.toHexString(n)});
    }
    String mac =
        switch (r.nextInt(4)) {
          case 0 -> "52:54:00:be:%02x:%02x";
          case 1 -> "52-54-00-BE-%02X-%02X";
          case 2 -> "5254.00be.%02x%02x";
          default -> "52:54:00:BE:%02X:%02X";
        };
    keys.add(new String[] {"MAC", mac.formatted((n >> 8) & 255, n & 255)});
    switch (r.nextInt(7)) {
      case 0, 1 -> {
        keys.add(
            new String[] {"User", quoted(r, List.of("lars", "maria", "J\u00fcrgen M").get(n % 3))});
        keys.add(new String[] {"Date", "2022-02-19"});
      }
      case 2 -> keys.add(new String[] {"User", r.nextBoolean() ? "" : "''"});
      case 3 -> { // released by hand, the Date left behind
        keys.add(new String[] {"User", ""});
        keys.add(new String[] {"Date", "2022-02-19"});
      }
      default -> {}
    }
    if (r.nextInt(4) == 0) {
      keys.add(new String[] {"Rack", "B" + r.nextInt(9)});
    }
    if (r.nextInt(6) == 0) {
      keys.add(new String[] {"Note", r.nextBoolean() ? "'the fast one'" : "[gpu, \"10G\"]"});
    }
    if (r.nextInt(10) == 0) {
      Collections.shuffle(keys, r); // people write keys in any order
      while (berthLayout && keys.get(0)[0].matches("User|Date")) {
        Collections.rotate(keys, 1);
      }
    }
    String pad = " ".repeat(listIndent);
    if (!berthLayout && r.nextInt(30) == 0) {
      List<String> pairs = keys.stream().map(k -> k[0] + ": " + k[1]).toList();
      return pad + "- {" + String.join(", ", pairs) + "}\n";
    }
    int valueColumn = 0;
    if (align) {
      for (String[] k : keys) {
        valueColumn = Math.max(valueColumn, k[0].length() + 2);
      }
    }
    StringBuilder entry = new StringBuilder();
    boolean loneDash = r.nextInt(10) == 0;
    if (loneDash) {
      entry.append(pad).append(!berthLayout && r.nextInt(4) == 0 ? "-   # spare\n" : "-\n");
    }
    for (int i = 0; i < keys.size(); i++) {
      String key = r.nextInt(40) == 0 ? keys.get(i)[0].toLowerCase() : keys.get(i)[0];
      StringBuilder line = new StringBuilder(pad).append(i == 0 && !loneDash ? "- " : "  ");
      int keyColumn = line.length();
      line.append(key).append(':');
      String value = keys.get(i)[1];
      if (!value.isEmpty()) {
        do {
          line.append(' ');
        } while (line.length() - keyColumn < valueColumn);
        line.append(value);
      }
      if (r.nextInt(15) == 0) {
        line.append("   # checked");
      }
      entry.append(line).append('\n');
    }
    return entry.toString();
  }

  private static String quoted(Random r, String value) {
    return switch (r.nextInt(12)) {
      case 0 -> "'" + value + "'";
      case 1 -> "\"" + value + "\"";
      default -> value;
    };
  }

  /** Random bytes: noise, valid UTF-8 of YAML pieces, or a good ledger with broken bytes. */
  static byte[] randomBytes(Random r) {
    switch (r.nextInt(4)) {
      case 0 -> {
        byte[] noise = new byte[r.nextInt(600)];
        r.nextBytes(noise);
        return noise;
      }
      case 1 -> {
        StringBuilder text = new StringBuilder();
        for (int i = r.nextInt(80); i >= 0; i--) {
          text.append(
              r.nextBoolean() ? SPICE[r.nextInt(SPICE.length)] : LINES[r.nextInt(LINES.length)]);
          if (r.nextInt(3) == 0) {
            text.append('\n');
          }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
      }
      default -> {
        byte[] good = goodLedger(r).getBytes(StandardCharsets.UTF_8);
        List<Byte> bytes = new ArrayList<>(good.length + 8);
        for (byte b : good) {
          bytes.add(b);
        }
        byte[][] broken = {
          {(byte) 0xff},
          {(byte) 0x80},
          {(byte) 0xc0, (byte) 0x80},
          {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
          {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
          {(byte) 0xe2, (byte) 0x82},
          {(byte) 0xfc},
          {0},
          {'\r'}
        };
        // One ledger in four is left whole, so that edits of valid files are exercised too.
        for (int i = r.nextInt(4) - 1; i >= 0; i--) {
          int at = r.nextInt(bytes.size() + 1);
          if (r.nextBoolean()) {
            for (byte b : broken[r.nextInt(broken.length)]) {
              bytes.add(at++, b);
            }
          } else if (at < bytes.size()) {
            bytes.set(at, (byte) r.nextInt(256));
          }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = bytes.get(i);
        }
        return out;
      }
    }
  }

  /**
   * A ledger with lists and mappings nested around, and far past, {@link LedgerLimits#MAX_DEPTH}:
   * flow or block, on one line or over many, closed or not, in an entry's value, as an entry or as
   * the file itself.
   *
   * @param levels how deep the deepest list or mapping is, the file's own list counting as 1
   * @param inEntries whether two good entries around it should still be read when it is allowed
   */
  record Nest(String text, int levels, boolean closed, boolean inEntries) {}

  private static final String ENTRY_1 =
      "- Host: pvm001.example.com\n  IPv4: 192.0.2.10\n  MAC:  52:54:00:BE:00:00\n";
  private static final String ENTRY_2 =
      "- Host: pvm002.example.com\n  IPv4: 192.0.2.11\n  MAC:  52:54:00:BE:00:01\n  User: lars\n";

  static Nest nesting(Random r) {
    int depth =
        switch (r.nextInt(4)) {
          case 0, 1 -> LedgerLimits.MAX_DEPTH - 6 + r.nextInt(13);
          case 2 -> 1 + r.nextInt(300);
          default -> 1_000 + r.nextInt(40_000);
        };
    boolean closed = r.nextInt(3) > 0;
    int layout = r.nextInt(3); // one line, one opener per line, random breaks
    return switch (r.nextInt(6)) {
      case 0 -> // a key's value, on the key's line
          new Nest(
              ENTRY_1 + "  Note: " + flow(r, depth, closed, 0, "    ") + "\n" + ENTRY_2,
              2 + depth,
              closed,
              true);
      case 1 -> // a key's value, below the key
          new Nest(
              ENTRY_1 + "  Note:\n    " + flow(r, depth, closed, layout, "    ") + "\n" + ENTRY_2,
              2 + depth,
              closed,
              true);
      case 2 -> // an entry of its own
          new Nest(
              ENTRY_1 + "- " + flow(r, depth, closed, layout, "  ") + "\n" + ENTRY_2,
              1 + depth,
              closed,
              true);
      case 3 -> // the file itself
          new Nest(flow(r, depth, closed, layout, "") + "\n", depth, closed, false);
      case 4 -> { // block lists: "- - - x" or one "-" a line, each a column further in
        StringBuilder text = new StringBuilder(ENTRY_1).append("  Note:\n");
        if (layout == 0) {
          text.append("    ").append("- ".repeat(depth)).append("x\n");
        } else {
          depth = Math.min(depth, 1_100); // past the line limit: the rest would only be longer
          for (int i = 0; i < depth; i++) {
            text.append(" ".repeat(4 + i)).append(i == depth - 1 ? "- x\n" : "-\n");
          }
        }
        yield new Nest(text.append(ENTRY_2).toString(), 2 + depth, true, true);
      }
      default -> { // block mappings, one key a line, each a column further in
        depth = Math.min(depth, 1_100);
        StringBuilder text = new StringBuilder(ENTRY_1).append("  Note:\n");
        for (int i = 0; i < depth; i++) {
          text.append(" ".repeat(4 + i))
              .append('k')
              .append(i)
              .append(i == depth - 1 ? ": x\n" : ":\n");
        }
        yield new Nest(text.append(ENTRY_2).toString(), 2 + depth, true, true);
      }
    };
  }

  /**
   * {@code depth} flow lists and mappings around "x": all "[", all "{k: " or mixed; on one line
   * ({@code layout} 0), one opener a line (1) or broken at random (2), continuation lines indented
   * by {@code indent}.
   */
  private static String flow(Random r, int depth, boolean closed, int layout, String indent) {
    int kind = r.nextInt(3);
    StringBuilder text = new StringBuilder();
    StringBuilder closers = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      boolean list = kind == 0 || (kind == 2 && r.nextBoolean());
      text.append(list ? "[" : "{k: ");
      closers.append(list ? ']' : '}');
      if (layout == 1 || (layout == 2 && r.nextInt(4) == 0)) {
        text.append('\n').append(indent);
      }
    }
    text.append('x');
    if (closed) {
      for (int i = closers.length() - 1; i >= 0; i--) {
        if (layout == 1 || (layout == 2 && r.nextInt(4) == 0)) {
          text.append('\n').append(indent);
        }
        text.append(closers.charAt(i));
      }
    }
    return text.toString();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Which lines of {@code a} and {@code b} a longest common subsequence keeps. */
  private static boolean[][] lcs(List<String> a, List<String> b) {
    int[][] len = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        len[i][j] =
            a.get(i).equals(b.get(j))
                ? len[i + 1][j + 1] + 1
                : Math.max(len[i + 1][j], len[i][j + 1]);
      }
    }
    boolean[] inA = new boolean[a.size()];
    boolean[] inB = new boolean[b.size()];
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      if (a.get(i).equals(b.get(j))) {
        inA[i++] = true;
        inB[j++] = true;
      } else if (len[i + 1][j] >= len[i][j + 1]) {
        i++;
      } else {
        j++;
      }
    }
    return new boolean[][] {inA, inB};
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** The bytes as text if they are valid UTF-8, else null. */
  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String read(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String stackOf(Throwable t) {
    StringBuilder s = new StringBuilder(String.valueOf(t));
    StackTraceElement[] trace = t.getStackTrace();
    for (int i = 0; i < Math.min(trace.length, 5); i++) {
      s.append("\n      at ").append(trace[i]);
    }
    return s.toString();
  }

  /** The first 300 characters as a Java string literal. */
  private static String excerpt(String text) {
    String shown = text.length() > 300 ? text.substring(0, 300) : text;
    return quote(shown) + (text.length() > 300 ? " ... (" + text.length() + " characters)" : "");
  }

  private static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        default -> {
          if (ch < 0x20 || (ch >= 0x7f && ch <= 0xa0) || ch > 0x7e && !Character.isLetter(ch)) {
            q.append("\\u%04x".formatted((int) ch));
          } else {
            q.append(ch);
          }
        }
      }
    }
    return q.append('"').toString();
  }

  /** One generated input: its seed, the method that makes it again, and its start as shown. */
  private record Case(long seed, String generator, String shown) {

    static Case of(long seed, String generator, String text) {
      return new Case(seed, generator, excerpt(text));
    }

    static Case of(long seed, String generator, byte[] bytes) {
      StringBuilder s = new StringBuilder(bytes.length + " bytes:");
      for (int i = 0; i < Math.min(bytes.length, 120); i++) {
        s.append(' ').append("%02x".formatted(bytes[i] & 0xff));
      }
      s.append(bytes.length > 120 ? " ..." : "").append("\n    as text: ");
      return new Case(
          seed, generator, s.append(excerpt(new String(bytes, StandardCharsets.UTF_8))).toString());
    }

    String describe() {
      return "seed %dL, input %s(new Random(%dL)): %s".formatted(seed, generator, seed, shown);
    }
  }

  /** Failures by kind: the first case of each in full, the seeds of the next few. */
  private static final class Failures {
    private final Map<String, String> first = new LinkedHashMap<>();
    private final Map<String, List<Long>> seeds = new LinkedHashMap<>();

    void add(String kind, Case c, String detail) {
      first.putIfAbsent(kind, c.describe() + "\n    " + detail.replace("\n", "\n    "));
      seeds.computeIfAbsent(kind, k -> new ArrayList<>()).add(c.seed());
    }

    void assertNone(int cases) {
      if (first.isEmpty()) {
        return;
      }
      StringBuilder report = new StringBuilder("failures in " + cases + " cases:");
      for (String kind : first.keySet()) {
        List<Long> all = seeds.get(kind);
        report
            .append("\n\n")
            .append(kind)
            .append(": ")
            .append(all.size())
            .append(
                all.size() > 1
                    ? " cases, seeds " + all.subList(0, Math.min(10, all.size()))
                    : " case")
            .append("\n  first: ")
            .append(first.get(kind));
      }
      fail(report.toString());
    }
  }

  private static final class Stats {
    int claims;
    int releases;
  }
}
