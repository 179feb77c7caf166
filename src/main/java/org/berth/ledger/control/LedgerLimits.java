package org.berth.ledger.control;

/**
 * How much of what people push Berth reads, so that no commit, however large, deep or strange, can
 * run it out of memory or stack. A commit past a limit is a ledger problem naming the commit, the
 * file and the limit, like any other broken rule; nothing past the limit is loaded.
 *
 * <p>The limits leave room for ledgers far larger than any site registers by hand (the largest
 * benchmarked ledger has 65,536 entries in one 4.5 MB file) while keeping Berth's own memory for a
 * ledger at the limits within a few hundred megabytes.
 */
public final class LedgerLimits {

  /** Bytes of one ledger file. */
  public static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

  /** Bytes of all ledger files together. */
  public static final long MAX_LEDGER_BYTES = 32L * 1024 * 1024;

  /** Ledger files, when the ledger is a folder. */
  public static final int MAX_FILES = 1_000;

  /** Entries (items of the YAML lists) in all files together. */
  public static final int MAX_ENTRIES = 100_000;

  /** Characters of one line, line break excluded. */
  public static final int MAX_LINE_CHARS = 1_024;

  /** Nested lists and mappings, the file's own list counting as the first. */
  public static final int MAX_DEPTH = 16;

  /** Keys, values and nested items of one entry together. */
  public static final int MAX_NODES_PER_ENTRY = 1_000;

  /** Problems listed for one commit; the rest are counted. */
  public static final int MAX_PROBLEMS = 1_000;

  /** Commits examined when the history of changed hosts is worked out in one sync. */
  public static final int MAX_HISTORY_COMMITS = 10_000;

  /** Bytes of file versions compared when the history of changed hosts is worked out. */
  public static final long MAX_HISTORY_BYTES = 256L * 1024 * 1024;

  private LedgerLimits() {}

  /** {@code bytes} for people: "16 MiB", "48.2 MB" style with binary units. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    double kib = bytes / 1024.0;
    if (kib < 1024) {
      return trim(kib) + " KiB";
    }
    return trim(kib / 1024) + " MiB";
  }

  private static String trim(double value) {
    String s = String.format(java.util.Locale.ROOT, "%.1f", value);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** {@code n} with thousands separators, as the docs write limits. */
  static String count(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }
}
