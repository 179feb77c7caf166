package org.berth.ledger.bench;

import static org.berth.ledger.bench.LedgerBenchmark.fmt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.berth.ledger.bench.GeneratedLedger.Layout;
import org.berth.ledger.bench.LedgerBenchmark.CellResult;

/** The results as Markdown tables, with the targets checked. */
final class Report {

  private Report() {}

  static String markdown(
      List<CellResult> results,
      List<HandClaims.Result> baselines,
      Duration took,
      int opsBudget,
      Duration timeBudget) {
    StringBuilder s = new StringBuilder();
    s.append("### Berth (LedgerWriter): claim and release, each its own commit pushed\n\n")
        .append("Budget per cell: ")
        .append(opsBudget)
        .append(" operations or ")
        .append(timeBudget.toSeconds())
        .append(" s, whichever first. An operation is one claim or one release.\n\n")
        .append(
            "| layout | entries | files | claimers | first sync s | ops | wall s | ops/s |"
                + " claims/s | p50 ms | p99 ms | max ms | claim p50 ms | pushes | ops/push |"
                + " remote GCs | stopped by | remote MB |\n")
        .append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|\n");
    for (CellResult r : results) {
      GeneratedLedger l = r.cell().ledger();
      s.append("| ")
          .append(l.layout().label)
          .append(" | ")
          .append(l.size())
          .append(" | ")
          .append(l.files())
          .append(" | ")
          .append(r.cell().claimers())
          .append(" | ")
          .append(fmt(r.syncSeconds()))
          .append(" | ")
          .append(r.ops())
          .append(" | ")
          .append(fmt(r.seconds()))
          .append(" | ")
          .append(fmt(r.opsPerSecond()))
          .append(" | ")
          .append(fmt(r.claimsPerSecond()))
          .append(" | ")
          .append(fmt(r.all().percentileMs(50)))
          .append(" | ")
          .append(fmt(r.all().percentileMs(99)))
          .append(" | ")
          .append(fmt(r.all().maxMs()))
          .append(" | ")
          .append(fmt(r.claims().percentileMs(50)))
          .append(" | ")
          .append(r.pushes())
          .append(" | ")
          .append(r.pushes() == 0 ? "n/a" : fmt((double) r.ops() / r.pushes()))
          .append(" | ")
          .append(r.remoteGcs())
          .append(" | ")
          .append(r.stoppedBy())
          .append(r.errors() > 0 ? " (" + r.errors() + " errors)" : "")
          .append(" | ")
          .append(fmt(r.remoteBytes() / 1e6))
          .append(" |\n");
    }
    for (CellResult r : results) {
      if (r.firstError() != null) {
        s.append("\n- ")
            .append(r.cell().name())
            .append(": ")
            .append(r.firstError().replace('\n', ' '));
      }
    }
    s.append("\n");
    s.append(
            "\n### Baseline: claims by hand (git pull --rebase, awk, git commit, git push),"
                + " 1 person\n\n")
        .append("| layout | entries | claims | wall s | claims/s | p50 ms | p99 ms | max ms |\n")
        .append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (HandClaims.Result b : baselines) {
      s.append("| ")
          .append(b.ledger().layout().label)
          .append(" | ")
          .append(b.ledger().size())
          .append(" | ")
          .append(b.claims().count())
          .append(" | ")
          .append(fmt(b.seconds()))
          .append(" | ")
          .append(fmt(b.perSecond()))
          .append(" | ")
          .append(fmt(b.claims().percentileMs(50)))
          .append(" | ")
          .append(fmt(b.claims().percentileMs(99)))
          .append(" | ")
          .append(fmt(b.claims().maxMs()))
          .append(" |\n");
    }

    s.append("\n### Targets\n\n");
    Optional<HandClaims.Result> base =
        baselines.stream()
            .filter(b -> b.ledger().layout() == Layout.ONE_FILE && b.ledger().size() == 4096)
            .findFirst();
    for (Layout layout : Layout.values()) {
      Optional<CellResult> eight = find(results, layout, 4096, 8);
      if (base.isEmpty() || eight.isEmpty()) {
        continue;
      }
      double needed = 10 * base.get().perSecond();
      CellResult r = eight.get();
      s.append("- (1) 8 claimers, 4,096 entries, ")
          .append(layout.label)
          .append(": ")
          .append(fmt(r.opsPerSecond()))
          .append(" ops/s (")
          .append(fmt(r.claimsPerSecond()))
          .append(" claims/s) against 10 x ")
          .append(fmt(base.get().perSecond()))
          .append(" = ")
          .append(fmt(needed))
          .append(" hand claims/s: ")
          .append(fmt(r.opsPerSecond() / base.get().perSecond()))
          .append(" x counting every commit (")
          .append(r.opsPerSecond() >= needed ? "met" : "not met")
          .append("), ")
          .append(fmt(r.claimsPerSecond() / base.get().perSecond()))
          .append(" x counting claims only (")
          .append(r.claimsPerSecond() >= needed ? "met" : "not met")
          .append(")\n");
    }
    for (int claimers : new int[] {1, 8}) {
      Optional<CellResult> small = find(results, Layout.PER_24, 256, claimers);
      Optional<CellResult> large = find(results, Layout.PER_24, 65_536, claimers);
      if (small.isEmpty() || large.isEmpty()) {
        continue;
      }
      double a = small.get().all().percentileMs(50);
      double b = large.get().all().percentileMs(50);
      s.append("- (2) file per /24, ")
          .append(claimers)
          .append(claimers == 1 ? " claimer" : " claimers")
          .append(": p50 ")
          .append(fmt(b))
          .append(" ms at 65,536 entries against ")
          .append(fmt(a))
          .append(" ms at 256 (at most ")
          .append(fmt(2 * a))
          .append(" ms allowed): ratio ")
          .append(fmt(b / a))
          .append(", ")
          .append(b <= 2 * a ? "met" : "not met")
          .append("\n");
    }
    s.append("\nWhole run: ").append(took.toSeconds()).append(" s.\n");
    return s.toString();
  }

  private static Optional<CellResult> find(
      List<CellResult> results, Layout layout, int size, int claimers) {
    return results.stream()
        .filter(
            r ->
                r.cell().ledger().layout() == layout
                    && r.cell().ledger().size() == size
                    && r.cell().claimers() == claimers)
        .findFirst();
  }
}
