package org.berth.ledger.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole ledger at one commit: every file, every entry, and every problem, including Host, MAC,
 * IPv4 and IPv6 used twice anywhere in the ledger. Immutable.
 */
public final class LedgerSnapshot {

  private final String commit;
  private final Map<String, LedgerFile> files;
  private final Map<Hostname, String> fileOfHost;
  private final List<Problem> problems;

  private LedgerSnapshot(
      String commit,
      Map<String, LedgerFile> files,
      Map<Hostname, String> fileOfHost,
      List<Problem> problems) {
    this.commit = commit;
    this.files = files;
    this.fileOfHost = fileOfHost;
    this.problems = problems;
  }

  /** Validates the files of one commit as one ledger, refusing only special-purpose addresses. */
  public static LedgerSnapshot of(String commit, List<LedgerFile> files) {
    return of(commit, files, AddressRules.SPECIAL_RANGES_ONLY);
  }

  /** Validates the files of one commit as one ledger whose addresses follow {@code rules}. */
  public static LedgerSnapshot of(String commit, List<LedgerFile> files, AddressRules rules) {
    Map<String, LedgerFile> byPath = new LinkedHashMap<>();
    Problems problems = new Problems();
    Map<Hostname, String> fileOfHost = new HashMap<>();
    Map<Object, LedgerEntry> seen = new HashMap<>();
    int items = 0;
    int usable = files.size();
    for (int i = 0; i < files.size() && usable == files.size(); i++) {
      items += files.get(i).size();
      if (items > LedgerLimits.MAX_ENTRIES) {
        // Listed first, so that the problems of the files cannot crowd it out.
        problems.add(
            new Problem(
                files.get(i).path(),
                0,
                null,
                "the ledger has more than "
                    + LedgerLimits.count(LedgerLimits.MAX_ENTRIES)
                    + " entries with this file, the limit of a whole ledger"));
        usable = i;
      }
    }
    for (LedgerFile file : files.subList(0, usable)) {
      byPath.put(file.path(), file);
      problems.addAll(file.problems());
      for (LedgerEntry e : file.entries()) {
        boolean unique = true;
        unique &= unique(problems, seen, "Host", e.host(), e.host().value(), e);
        unique &= unique(problems, seen, "MAC", e.mac(), e.mac().value(), e);
        if (e.ipv4() != null) {
          unique &= unique(problems, seen, "IPv4", e.ipv4(), e.ipv4().toString(), e);
        }
        if (e.ipv6() != null) {
          unique &= unique(problems, seen, "IPv6", e.ipv6(), e.ipv6().toString(), e);
        }
        if (unique) {
          fileOfHost.put(e.host(), file.path());
        }
        address(problems, rules, "IPv4", e.ipv4(), e);
        address(problems, rules, "IPv6", e.ipv6(), e);
      }
    }
    return new LedgerSnapshot(
        commit,
        Collections.unmodifiableMap(byPath),
        Collections.unmodifiableMap(fileOfHost),
        problems.list());
  }

  /** The same ledger with more problems, found by rules beyond its files (such as holdings). */
  public LedgerSnapshot withProblems(List<Problem> more) {
    if (more.isEmpty()) {
      return this;
    }
    Problems all = new Problems();
    all.addAll(problems);
    all.addAll(more);
    return new LedgerSnapshot(commit, files, fileOfHost, all.list());
  }

  private static void address(
      Problems problems, AddressRules rules, String key, Object value, LedgerEntry entry) {
    if (value != null) {
      rules
          .problem(value.toString())
          .ifPresent(
              rule ->
                  problems.add(
                      new Problem(
                          entry.file(),
                          entry.line(),
                          entry.host().value(),
                          key + " " + value + " " + rule)));
    }
  }

  private static boolean unique(
      Problems problems,
      Map<Object, LedgerEntry> seen,
      String key,
      Object value,
      String shown,
      LedgerEntry entry) {
    LedgerEntry first = seen.putIfAbsent(value, entry);
    if (first == null) {
      return true;
    }
    problems.add(
        new Problem(
            entry.file(),
            entry.line(),
            entry.host().value(),
            "duplicate "
                + key
                + " "
                + shown
                + ", already used by "
                + first.host()
                + " at "
                + first.file()
                + ":"
                + first.line()));
    return false;
  }

  /** The commit this snapshot was read from. */
  public String commit() {
    return commit;
  }

  public boolean isValid() {
    return problems.isEmpty();
  }

  public List<Problem> problems() {
    return problems;
  }

  public Map<String, LedgerFile> files() {
    return files;
  }

  public Optional<LedgerEntry> entry(Hostname host) {
    String path = fileOfHost.get(host);
    return path == null ? Optional.empty() : files.get(path).entry(host);
  }

  public Optional<LedgerFile> fileOf(Hostname host) {
    return Optional.ofNullable(fileOfHost.get(host)).map(files::get);
  }

  /** Every usable entry, file by file. */
  public List<LedgerEntry> entries() {
    List<LedgerEntry> all = new ArrayList<>(fileOfHost.size());
    files.values().forEach(f -> all.addAll(f.entries()));
    return all;
  }

  public int size() {
    return fileOfHost.size();
  }

  /**
   * The snapshot after Berth's own edit of one file that kept its hosts (a claim or a release), at
   * {@code newCommit}. Cheap: nothing else is read again.
   */
  public LedgerSnapshot withEditedFile(String newCommit, LedgerFile edited) {
    Map<String, LedgerFile> copy = new LinkedHashMap<>(files);
    copy.put(edited.path(), edited);
    return new LedgerSnapshot(newCommit, Collections.unmodifiableMap(copy), fileOfHost, problems);
  }
}
