package org.berth.ledger.control;

import java.util.ArrayList;
import java.util.List;

/**
 * Problems as they are found, keeping the first {@link LedgerLimits#MAX_PROBLEMS} and counting the
 * rest, so that a file of a hundred thousand broken entries costs no more than a short list.
 */
final class Problems {

  private final List<Problem> kept = new ArrayList<>();
  private int count;
  private Problem firstDropped;

  void add(Problem problem) {
    count++;
    if (kept.size() < LedgerLimits.MAX_PROBLEMS) {
      kept.add(problem);
    } else if (firstDropped == null) {
      firstDropped = problem;
    }
  }

  void addAll(List<Problem> problems) {
    problems.forEach(this::add);
  }

  /** How many were found, listed or not. */
  int size() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The problems kept, and one more saying how many were left out. */
  List<Problem> list() {
    if (firstDropped == null) {
      return List.copyOf(kept);
    }
    List<Problem> all = new ArrayList<>(kept);
    int more = count - kept.size();
    all.add(
        new Problem(
            firstDropped.file(),
            firstDropped.line(),
            null,
            "and "
                + LedgerLimits.count(more)
                + " more problems from here on (Berth lists the first "
                + LedgerLimits.count(LedgerLimits.MAX_PROBLEMS)
                + ")"));
    return List.copyOf(all);
  }
}
