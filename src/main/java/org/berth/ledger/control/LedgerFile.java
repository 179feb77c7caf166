package org.berth.ledger.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * One YAML file of the ledger: its exact text, the entries in it with the lines each occupies, and
 * what is wrong in it.
 *
 * <p>Edits (claim, release, retire, append) change only the lines of the entry concerned and keep
 * the file's indentation, alignment, comments, unknown keys and line endings; a file that is not
 * edited is written back byte for byte. Instances are immutable.
 */
public final class LedgerFile {

  static final String HOST = "Host";
  static final String IPV4 = "IPv4";
  static final String IPV6 = "IPv6";
  static final String MAC = "MAC";
  static final String USER = "User";
  static final String DATE = "Date";
  private static final List<String> KNOWN = List.of(HOST, IPV4, IPV6, MAC, USER, DATE);
  private static final List<String> ADDRESS_KEYS = List.of(HOST, IPV4, IPV6, MAC);

  private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]*");

  /** Where one key of an entry sits, in lines relative to the entry's first line. */
  record KeyAt(
      String key, String value, int keyLine, int lastLine, int keyColumn, int valueColumn) {}

  /** An entry's place in the file: absolute first line, and its keys relative to it. */
  record Item(int firstLine, int lastOffset, Map<String, KeyAt> keys) {
    int lastLine() {
      return firstLine + lastOffset;
    }

    Optional<KeyAt> key(String name) {
      return Optional.ofNullable(keys.get(name.toLowerCase(Locale.ROOT)));
    }

    Item shifted(int delta) {
      return new Item(firstLine + delta, lastOffset, keys);
    }
  }

  private final String path;
  private final int listed;
  private final List<String> lines;
  private final List<Item> items;

  /** Parallel to {@link #items}; null where an item is not a usable entry. */
  private final List<LedgerEntry> slots;

  private final List<Problem> problems;
  private final Map<Hostname, Integer> index;
  private List<LedgerEntry> entries;

  private LedgerFile(
      String path,
      List<String> lines,
      List<Item> items,
      List<LedgerEntry> slots,
      List<Problem> problems,
      Map<Hostname, Integer> index) {
    this(path, lines, items, slots, problems, index, items.size());
  }

  private LedgerFile(
      String path,
      List<String> lines,
      List<Item> items,
      List<LedgerEntry> slots,
      List<Problem> problems,
      Map<Hostname, Integer> index,
      int listed) {
    this.listed = listed;
    this.path = path;
    this.lines = lines;
    this.items = items;
    this.slots = slots;
    this.problems = problems;
    this.index = index != null ? index : indexOf(slots);
  }

  private static Map<Hostname, Integer> indexOf(List<LedgerEntry> slots) {
    Map<Hostname, Integer> map = new HashMap<>(slots.size() * 2);
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i) != null) {
        map.putIfAbsent(slots.get(i).host(), i);
      }
    }
    return map;
  }

  /**
   * Reads a ledger file from the bytes in Git. A file over {@link LedgerLimits#MAX_FILE_BYTES} is
   * one problem and is not decoded at all. A file that is not valid UTF-8 is one problem naming the
   * line of the first bad byte. Either has no entries, and Berth writes nothing over it: writing it
   * back as text would change bytes outside the edited entry.
   */
  public static LedgerFile parse(String path, byte[] bytes) {
    if (bytes.length > LedgerLimits.MAX_FILE_BYTES) {
      return tooLarge(path, bytes.length);
    }
    java.nio.charset.CharsetDecoder decoder =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    try {
      return parse(path, decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      int bad = firstInvalidByte(bytes);
      int line = 1;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      return unreadable(
          path, line, "not valid UTF-8 (byte " + (bad + 1) + "); save the file as UTF-8");
    }
  }

  /** A file of {@code size} bytes, over the limit, for which nothing was read. */
  public static LedgerFile tooLarge(String path, long size) {
    return unreadable(
        path,
        0,
        "the file is "
            + LedgerLimits.size(size)
            + ", over the limit of "
            + LedgerLimits.size(LedgerLimits.MAX_FILE_BYTES)
            + " per ledger file");
  }

  /**
   * A file Berth cannot read (or has not read), with the problem saying why: it has no entries and
   * is never written.
   */
  public static LedgerFile unreadable(String path, int line, String problem) {
    return new LedgerFile(
        path, null, List.of(), List.of(), List.of(new Problem(path, line, null, problem)), null);
  }

  /** The offset of the first byte that does not belong to a valid UTF-8 sequence. */
  private static int firstInvalidByte(byte[] bytes) {
    java.nio.charset.CharsetDecoder decoder =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
    decoder.decode(in, out, true);
    return in.position();
  }

  /** Reads a ledger file; problems are collected, never thrown. */
  public static LedgerFile parse(String path, String text) {
    List<String> lines = List.of(text.split("\n", -1));
    Optional<Problem> overLimit = textLimits(path, lines);
    if (overLimit.isPresent()) {
      return new LedgerFile(path, lines, List.of(), List.of(), List.of(overLimit.get()), null);
    }
    Problems problems = new Problems();
    List<Item> items = new ArrayList<>();
    int[] listed = {0};
    try {
      YamlEntries.read(
          path,
          text,
          node -> {
            listed[0]++;
            Item item = item(path, node, lines, 0, problems);
            if (item != null) {
              items.add(item);
            }
          });
    } catch (YamlEntries.Refused e) {
      return new LedgerFile(
          path,
          lines,
          List.of(),
          List.of(),
          List.of(new Problem(path, e.line, null, e.getMessage())),
          null);
    } catch (MarkedYamlEngineException e) {
      // The construct that is broken starts at the context mark; the problem mark is where the
      // parser gave up, often a line later.
      int line = e.getContextMark().or(e::getProblemMark).map(m -> m.getLine() + 1).orElse(1);
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      return new LedgerFile(
          path,
          lines,
          List.of(),
          List.of(),
          List.of(new Problem(path, line, null, "not valid YAML: " + e.getProblem() + context)),
          null);
    } catch (YamlEngineException e) {
      return new LedgerFile(
          path,
          lines,
          List.of(),
          List.of(),
          List.of(new Problem(path, 1, null, "not valid YAML: " + e.getMessage())),
          null);
    }
    List<LedgerEntry> slots = new ArrayList<>(items.size());
    for (Item item : items) {
      slots.add(toEntry(path, item, problems).orElse(null));
    }
    return new LedgerFile(
        path,
        lines,
        List.copyOf(items),
        Collections.unmodifiableList(slots),
        problems.list(),
        null,
        listed[0]);
  }

  /** The limits a file's text must keep before it is parsed: its size and its lines' length. */
  private static Optional<Problem> textLimits(String path, List<String> lines) {
    long bytes = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int length = line.endsWith("\r") ? line.length() - 1 : line.length();
      for (int c = 0; c < length; c++) {
        char ch = line.charAt(c);
        if (ch == '\r' || ch == '\u0085' || ch == '\u2028' || ch == '\u2029') {
          // YAML breaks lines there too; Berth counts lines by "\n" alone.
          return Optional.of(
              new Problem(
                  path,
                  i + 1,
                  null,
                  "a line break other than \\n or \\r\\n (U+"
                      + String.format("%04X", (int) ch)
                      + "); save the file with \\n or \\r\\n line breaks"));
        }
      }
      if (length > LedgerLimits.MAX_LINE_CHARS) {
        return Optional.of(
            new Problem(
                path,
                i + 1,
                null,
                "the line is "
                    + LedgerLimits.count(length)
                    + " characters long, over the limit of "
                    + LedgerLimits.count(LedgerLimits.MAX_LINE_CHARS)));
      }
      bytes += utf8Length(line) + 1;
    }
    if (bytes - 1 > LedgerLimits.MAX_FILE_BYTES) {
      return Optional.of(tooLarge(path, bytes - 1).problems().get(0));
    }
    return Optional.empty();
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** The item for one sequence element, with lines relative to its first line; null if unusable. */
  private static Item item(
      String path, Node node, List<String> lines, int lineOffset, Problems problems) {
    int first = node.getStartMark().map(Mark::getLine).orElse(0) + lineOffset;
    if (!(node instanceof MappingNode mapping)) {
      problems.add(
          new Problem(
              path,
              first + 1,
              null,
              "an entry must be a set of keys (Host, IPv4, IPv6, MAC, ...)"));
      return null;
    }
    // Berth edits an entry by its lines: it must be one "Key: value" per line, its "-" on its
    // first line or alone on the line above, and start with a key Berth never removes.
    if (mapping.getFlowStyle() == FlowStyle.FLOW) {
      problems.add(
          new Problem(
              path,
              first + 1,
              null,
              "an entry in { } form; write it as one \"Key: value\" per line so that Berth can"
                  + " edit it"));
      return null;
    }
    if (!lines.get(first).stripLeading().startsWith("-")) {
      if (first > 0 && lines.get(first - 1).strip().equals("-")) {
        first--;
      } else {
        problems.add(
            new Problem(
                path,
                first + 1,
                null,
                "the entry's \"-\" must be on the line of its first key, or alone on the line"
                    + " above it"));
        return null;
      }
    }
    if (!mapping.getValue().isEmpty()
        && mapping.getValue().get(0).getKeyNode() instanceof ScalarNode firstKey
        && (USER.equalsIgnoreCase(firstKey.getValue())
            || DATE.equalsIgnoreCase(firstKey.getValue()))) {
      problems.add(
          new Problem(
              path,
              first + 1,
              null,
              canonicalKey(firstKey.getValue())
                  + " must not be the entry's first key: Berth adds and removes it"));
      return null;
    }
    Map<String, KeyAt> keys = new LinkedHashMap<>();
    int last = first;
    String hostText = null;
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k
          && k.getValue().equalsIgnoreCase(HOST)
          && tuple.getValueNode() instanceof ScalarNode v) {
        hostText = v.getValue();
      }
    }
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Node valueNode = tuple.getValueNode();
      int keyLine = keyNode.getStartMark().map(Mark::getLine).orElse(0) + lineOffset;
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        problems.add(new Problem(path, keyLine + 1, hostText, "keys must be plain words"));
        continue;
      }
      Mark end = valueNode.getEndMark().orElseThrow();
      int valueLast = end.getLine() + lineOffset;
      if (end.getColumn() == 0 && valueLast > keyLine) {
        valueLast--;
      }
      last = Math.max(last, valueLast);
      String key = keyScalar.getValue();
      String canonical = canonicalKey(key);
      if (keys.containsKey(canonical.toLowerCase(Locale.ROOT))) {
        problems.add(new Problem(path, keyLine + 1, hostText, "the key " + key + " appears twice"));
        continue;
      }
      String value = null;
      if (valueNode instanceof ScalarNode scalar) {
        value = scalar.getValue();
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
          // A line break in a value (a block scalar, an escaped "\n") would let a value such as
          // User fake lines in pages, mail and the jump host's answers.
          problems.add(
              new Problem(
                  path,
                  keyLine + 1,
                  hostText,
                  canonical + " must be one line without control characters"));
        }
      } else if (KNOWN.contains(canonical)) {
        problems.add(
            new Problem(path, keyLine + 1, hostText, canonical + " must be a single value"));
      }
      int keyColumn = keyNode.getStartMark().map(Mark::getColumn).orElse(0);
      int valueColumn = valueNode.getStartMark().map(Mark::getColumn).orElse(0);
      if (valueLast > keyLine
          || valueNode.getStartMark().map(Mark::getLine).orElse(0) + lineOffset != keyLine) {
        valueColumn = -1; // not a one-line "Key: value"
      }
      keys.put(
          canonical.toLowerCase(Locale.ROOT),
          new KeyAt(canonical, value, keyLine - first, valueLast - first, keyColumn, valueColumn));
    }
    return new Item(first, last - first, Collections.unmodifiableMap(keys));
  }

  private static String canonicalKey(String key) {
    for (String known : KNOWN) {
      if (known.equalsIgnoreCase(key)) {
        return known;
      }
    }
    return key;
  }

  private static Optional<LedgerEntry> toEntry(String path, Item item, Problems problems) {
    int line = item.firstLine() + 1;
    String hostText = item.key(HOST).map(KeyAt::value).orElse(null);
    int before = problems.size();
    Hostname host = null;
    MacAddress mac = null;
    Ipv4Address ipv4 = null;
    Ipv6Address ipv6 = null;
    if (blank(hostText)) {
      problems.add(new Problem(path, line, null, "Host is required"));
    } else {
      try {
        host = Hostname.of(hostText);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path, lineOf(item, HOST), hostText, "Host: " + e.getMessage()));
      }
    }
    String macText = item.key(MAC).map(KeyAt::value).orElse(null);
    if (blank(macText)) {
      problems.add(new Problem(path, line, hostText, "MAC is required"));
    } else {
      try {
        mac = MacAddress.of(macText);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path, lineOf(item, MAC), hostText, "MAC: " + e.getMessage()));
      }
    }
    String v4 = item.key(IPV4).map(KeyAt::value).orElse(null);
    String v6 = item.key(IPV6).map(KeyAt::value).orElse(null);
    if (blank(v4) && blank(v6)) {
      problems.add(new Problem(path, line, hostText, "IPv4 or IPv6 is required"));
    }
    if (!blank(v4)) {
      try {
        ipv4 = Ipv4Address.parse(v4);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path, lineOf(item, IPV4), hostText, "IPv4: " + e.getMessage()));
      }
    }
    if (!blank(v6)) {
      try {
        ipv6 = Ipv6Address.parse(v6);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(path, lineOf(item, IPV6), hostText, "IPv6: " + e.getMessage()));
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    String user = item.key(USER).map(KeyAt::value).filter(u -> !u.isBlank()).orElse(null);
    String date = item.key(DATE).map(KeyAt::value).filter(d -> !d.isBlank()).orElse(null);
    return Optional.of(new LedgerEntry(path, line, host, ipv4, ipv6, mac, user, date));
  }

  private static int lineOf(Item item, String key) {
    return item.firstLine() + item.key(key).map(KeyAt::keyLine).orElse(0) + 1;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  public String path() {
    return path;
  }

  /** The same file with one more problem that concerns it as a whole. */
  public LedgerFile withProblem(String message) {
    List<Problem> more = new ArrayList<>(problems);
    more.add(new Problem(path, 0, null, message));
    return new LedgerFile(path, lines, items, slots, List.copyOf(more), index);
  }

  /** The file's exact text. */
  public String text() {
    if (lines == null) {
      throw new IllegalStateException(path + " was not read and cannot be written");
    }
    return String.join("\n", lines);
  }

  /** How many items the file's list has, usable entries or not. */
  public int size() {
    return listed;
  }

  /** The usable entries, in file order. */
  public List<LedgerEntry> entries() {
    if (entries == null) {
      entries = slots.stream().filter(java.util.Objects::nonNull).toList();
    }
    return entries;
  }

  /** Problems found in this file alone (syntax, required keys, formats). */
  public List<Problem> problems() {
    return problems;
  }

  public Optional<LedgerEntry> entry(Hostname host) {
    Integer i = index.get(host);
    return i == null ? Optional.empty() : Optional.of(slots.get(i));
  }

  private int indexOf(Hostname host) {
    if (!problems.isEmpty()) {
      // A file with problems is never edited: the ledger is refused until people fix it.
      throw new EntryNotEditable(
          path + " has problems (" + problems.get(0) + "); Berth edits only files without any");
    }
    Integer i = index.get(host);
    if (i == null) {
      throw new IllegalArgumentException("no entry for " + host + " in " + path);
    }
    return i;
  }

  /** Adds {@code User} and {@code Date} to a free entry. */
  public LedgerFile claim(Hostname host, String user, String date) {
    int index = indexOf(host);
    Item item = items.get(index);
    List<String> out = new ArrayList<>(lines);
    List<String> added = new ArrayList<>();
    // Replace an empty "User:" (and a stale "Date:") in place; otherwise insert after the
    // address keys, where people put them.
    int at = anchorLine(item) + 1;
    int before = out.size();
    // "at" is at or above every removed line, so it stays valid after the removal.
    at = Math.min(at, removeHolderLines(item, out));
    int removed = before - out.size();
    if (at > item.firstLine() + item.lastOffset() - removed + 1) {
      at = item.firstLine() + item.lastOffset() - removed + 1;
    }
    added.add(keyLine(item, USER, user));
    added.add(keyLine(item, DATE, date));
    out.addAll(at, added);
    return withEdit(out, index, added.size() - removed, user);
  }

  /** Removes {@code User} and {@code Date} from a taken entry. */
  public LedgerFile release(Hostname host) {
    int index = indexOf(host);
    Item item = items.get(index);
    List<String> out = new ArrayList<>(lines);
    int before = out.size();
    removeHolderLines(item, out);
    int removed = before - out.size();
    return withEdit(out, index, -removed, null);
  }

  /**
   * Removes the lines of the item's {@code User} and {@code Date} keys from {@code out}, from the
   * bottom up so that each is still where it was found; returns the first line removed, or {@link
   * Integer#MAX_VALUE} if there was none.
   */
  private static int removeHolderLines(Item item, List<String> out) {
    List<int[]> ranges = new ArrayList<>();
    for (String key : List.of(USER, DATE)) {
      item.key(key)
          .ifPresent(
              k ->
                  ranges.add(
                      new int[] {item.firstLine() + k.keyLine(), item.firstLine() + k.lastLine()}));
    }
    ranges.sort((a, b) -> Integer.compare(b[0], a[0]));
    int first = Integer.MAX_VALUE;
    for (int[] range : ranges) {
      out.subList(range[0], range[1] + 1).clear();
      first = Math.min(first, range[0]);
    }
    return first;
  }

  /**
   * Removes the entry's lines altogether. The result is read again and must hold every other entry
   * as before; otherwise nothing is written.
   */
  public LedgerFile retire(Hostname host) {
    int index = indexOf(host);
    Item item = items.get(index);
    List<String> out = new ArrayList<>(lines);
    out.subList(item.firstLine(), item.lastLine() + 1).clear();
    LedgerFile after = parse(path, String.join("\n", out));
    List<Hostname> expected = new ArrayList<>(entries().stream().map(LedgerEntry::host).toList());
    expected.remove(host);
    boolean newProblems = problems.isEmpty() && !after.problems().isEmpty();
    if (newProblems || !after.entries().stream().map(LedgerEntry::host).toList().equals(expected)) {
      throw new EntryNotEditable(
          "Berth cannot retire "
              + host
              + " as it is written ("
              + path
              + ":"
              + (item.firstLine() + 1)
              + "); nothing was written. Remove it by hand in Git.");
    }
    return after;
  }

  private static LedgerEntry shifted(LedgerEntry e, int delta) {
    return e == null || delta == 0
        ? e
        : new LedgerEntry(
            e.file(), e.line() + delta, e.host(), e.ipv4(), e.ipv6(), e.mac(), e.user(), e.date());
  }

  /** Appends entries at the end, written in the style of the file's existing entries. */
  public LedgerFile append(List<NewEntry> additions) {
    StringBuilder text = new StringBuilder(text());
    String eol = lineEnding();
    if (text.length() > 0 && !text.toString().endsWith("\n")) {
      text.append(eol);
    }
    Item style = items.isEmpty() ? null : items.get(items.size() - 1);
    String macStyle =
        entries().isEmpty() ? null : macAsWritten(entries().get(entries().size() - 1));
    for (NewEntry add : additions) {
      List<String[]> pairs = new ArrayList<>();
      pairs.add(new String[] {HOST, add.host().value()});
      if (add.ipv4() != null) {
        pairs.add(new String[] {IPV4, add.ipv4().toString()});
      }
      if (add.ipv6() != null) {
        pairs.add(new String[] {IPV6, add.ipv6().toString()});
      }
      pairs.add(new String[] {MAC, add.mac().inStyleOf(macStyle)});
      for (int i = 0; i < pairs.size(); i++) {
        String line = keyLine(style, pairs.get(i)[0], pairs.get(i)[1]);
        if (i == 0) {
          int indent = style == null ? 2 : style.key(HOST).map(KeyAt::keyColumn).orElse(2);
          line = " ".repeat(Math.max(0, indent - 2)) + "- " + line.substring(indent);
        }
        text.append(line).append(eol);
      }
    }
    return parse(path, text.toString());
  }

  private String macAsWritten(LedgerEntry entry) {
    Item item = items.get(indexOf(entry.host()));
    return item.key(MAC).map(KeyAt::value).orElse(null);
  }

  /** An entry to add with {@link #append}. */
  public record NewEntry(Hostname host, Ipv4Address ipv4, Ipv6Address ipv6, MacAddress mac) {}

  private String lineEnding() {
    return !lines.isEmpty() && lines.get(0).endsWith("\r") ? "\r\n" : "\n";
  }

  private int anchorLine(Item item) {
    int anchor = item.firstLine();
    for (String key : ADDRESS_KEYS) {
      Optional<KeyAt> k = item.key(key);
      if (k.isPresent()) {
        anchor = Math.max(anchor, item.firstLine() + k.get().lastLine());
      }
    }
    return anchor;
  }

  /** " Key: value" indented and aligned like the entry's other keys. */
  private String keyLine(Item item, String key, String value) {
    int indent = 2;
    int valueColumn = -1;
    if (item != null) {
      indent = item.keys().values().stream().mapToInt(KeyAt::keyColumn).min().orElse(2);
      var columns =
          item.keys().values().stream()
              .filter(k -> k.valueColumn() >= 0 && k.value() != null && !k.value().isEmpty())
              .mapToInt(KeyAt::valueColumn)
              .distinct()
              .toArray();
      if (columns.length == 1 && item.keys().size() > 1) {
        valueColumn = columns[0];
      }
    }
    StringBuilder line = new StringBuilder(" ".repeat(indent)).append(key).append(':');
    do {
      line.append(' ');
    } while (line.length() < valueColumn);
    line.append(quoted(value));
    if (lineEnding().equals("\r\n")) {
      line.append('\r');
    }
    return line.toString();
  }

  private static String quoted(String value) {
    return PLAIN_VALUE.matcher(value).matches() ? value : "'" + value.replace("'", "''") + "'";
  }

  /** The file after an edit of item {@code index} that changed the line count by {@code delta}. */
  private LedgerFile withEdit(List<String> out, int index, int delta, String user) {
    Item old = items.get(index);
    int first = old.firstLine();
    int last = old.lastLine() + delta;
    Item edited = reparse(out, first, last);
    LedgerEntry entry = edited == null ? null : toEntry(path, edited, new Problems()).orElse(null);
    LedgerEntry before = slots.get(index);
    // The last check before anything is written: only the entry's own lines changed, and they
    // read as the same entry with the holder asked for.
    boolean exact =
        entry != null
            && out.subList(0, first).equals(lines.subList(0, first))
            && out.subList(last + 1, out.size())
                .equals(lines.subList(old.lastLine() + 1, lines.size()))
            && entry.host().equals(before.host())
            && entry.mac().equals(before.mac())
            && java.util.Objects.equals(entry.ipv4(), before.ipv4())
            && java.util.Objects.equals(entry.ipv6(), before.ipv6())
            && java.util.Objects.equals(entry.user(), user);
    if (!exact) {
      throw new EntryNotEditable(
          "Berth cannot edit "
              + before.host()
              + " as it is written ("
              + path
              + ":"
              + before.line()
              + "); nothing was written. Write each of its keys as \"Key: value\" on a line of"
              + " its own.");
    }
    List<Item> newItems = new ArrayList<>(items.size());
    List<LedgerEntry> newSlots = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (i < index) {
        newItems.add(items.get(i));
        newSlots.add(slots.get(i));
      } else if (i == index) {
        newItems.add(edited);
        newSlots.add(entry);
      } else {
        newItems.add(items.get(i).shifted(delta));
        newSlots.add(shifted(slots.get(i), delta));
      }
    }
    // Claims and releases keep hosts and positions in the list, so the index stays valid.
    return new LedgerFile(
        path,
        List.copyOf(out),
        Collections.unmodifiableList(newItems),
        Collections.unmodifiableList(newSlots),
        problems,
        this.index);
  }

  private Item reparse(List<String> out, int first, int last) {
    String snippet = String.join("\n", out.subList(first, last + 1));
    Optional<Node> node = YamlEntries.first(path, snippet);
    Problems layout = new Problems();
    Item item = node.map(n -> item(path, n, out, first, layout)).orElse(null);
    return layout.isEmpty() ? item : null;
  }

  private static final Pattern ITEM_START = Pattern.compile("^\\s*-(\\s|$)");
  private static final Pattern HOST_LINE =
      Pattern.compile("^\\s*(?:-\\s+)?(?i:host)\\s*:\\s*['\"]?([^'\"#\\s]+)");

  /**
   * For each line of a version of a ledger file, the Host of the entry it belongs to, found by a
   * plain scan of the lines rather than by parsing: history names the hosts a commit touched even
   * in versions that do not parse.
   *
   * @param count how many lines there are
   * @param line the text of line {@code i} (from 0)
   */
  static String[] hostOfEachLine(int count, java.util.function.IntFunction<String> line) {
    String[] owner = new String[count];
    int itemStart = -1;
    String host = null;
    for (int i = 0; i <= count; i++) {
      String text = i < count ? line.apply(i) : null;
      boolean starts = text == null || ITEM_START.matcher(text).find();
      if (starts) {
        for (int j = Math.max(itemStart, 0); j < i && itemStart >= 0; j++) {
          owner[j] = host;
        }
        itemStart = i;
        host = null;
      }
      if (text != null && host == null) {
        Matcher m = HOST_LINE.matcher(text);
        if (m.find()) {
          host = m.group(1);
        }
      }
    }
    return owner;
  }
}
