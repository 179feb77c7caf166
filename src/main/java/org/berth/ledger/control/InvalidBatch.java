package org.berth.ledger.control;

import java.util.List;
import org.berth.platform.refusal.Refusal;

/** New entries that clash with the ledger or break its rules; nothing of the batch is written. */
public class InvalidBatch extends Refusal {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public InvalidBatch(List<Problem> problems) {
    super(
        Kind.INVALID,
        "invalid_entries",
        "The new entries break the ledger's rules: "
            + problems.stream()
                .limit(5)
                .map(Problem::toString)
                .reduce((a, b) -> a + "; " + b)
                .orElse("")
            + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
