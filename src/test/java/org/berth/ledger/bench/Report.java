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
    s.append("Budget per cell: ")
        .append(opsBudget)
        .append(" operations or ")
        .append(timeBudget.toSeconds())
        .append(" s, whichever first. An operation is one claim or one release, each its own")
        .append(" commit pushed before the call returns.\n");
    for (boolean remoteGc : new boolean[] {true, false}) {
      List<CellResult> group =
          results.stream().filter(r -> r.cell().remoteGc() == remoteGc).toList();
      if (group.isEmpty()) {
        continue;
      }
      s.append(
          remoteGc
              ? "\n### Berth, remote as `git init --bare` makes it (receive.autogc on, the"
                  + " default)\n\n"
              : "\n### Berth, same cells, remote with `receive.autogc=false`\n\n");
      table(s, group);
    }

    s.append(
            "\n### Baseline: claims by hand (git pull --rebase, awk, git commit, git push),"
                + " 1 person\n\n")
        .append("| layout | entries | claims | wall s | claims/s | p50 ms | p99 ms | max ms |\n")
        .append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
    for (HandClaims.Result b : baselines) {
      row(
          s,
          b.ledger().layout().label,
          b.ledger().size(),
          b.claims().count(),
          fmt(b.seconds()),
          fmt(b.perSecond()),
          fmt(b.claims().percentileMs(50)),
          fmt(b.claims().percentileMs(99)),
          fmt(b.claims().maxMs()));
    }

    s.append("\n### Targets\n");
    Optional<HandClaims.Result> base =
        baselines.stream()
            .filter(b -> b.ledger().layout() == Layout.ONE_FILE && b.ledger().size() == 4096)
            .findFirst();
    for (boolean remoteGc : new boolean[] {true, false}) {
      List<CellResult> group =
          results.stream().filter(r -> r.cell().remoteGc() == remoteGc).toList();
      if (group.isEmpty()) {
        continue;
      }
      s.append(remoteGc ? "\nDefault remote:\n\n" : "\nRemote with receive.autogc=false:\n\n");
      targets(s, group, base);
    }
    s.append("\nWhole run: ").append(took.toSeconds()).append(" s.\n");
    return s.toString();
  }

  private static void table(StringBuilder s, List<CellResult> results) {
    s.append(
            "| layout | entries | files | claimers | first sync s | ops | wall s | ops/s |"
                + " claims/s | p50 ms | p99 ms | max ms | claim p50 ms | pushes | ops/push |"
                + " remote GCs | GC after s | stopped by | remote MB |\n")
        .append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|\n");
    for (CellResult r : results) {
      GeneratedLedger l = r.cell().ledger();
      row(
          s,
          l.layout().label,
          l.size(),
          l.files(),
          r.cell().claimers(),
          fmt(r.syncSeconds()),
          r.ops(),
          fmt(r.seconds()),
          fmt(r.opsPerSecond()),
          fmt(r.claimsPerSecond()),
          fmt(r.all().percentileMs(50)),
          fmt(r.all().percentileMs(99)),
          fmt(r.all().maxMs()),
          fmt(r.claims().percentileMs(50)),
          r.pushes(),
          r.pushes() == 0 ? "n/a" : fmt((double) r.ops() / r.pushes()),
          r.remoteGcs(),
          fmt(r.gcTailSeconds()),
          r.stoppedBy() + (r.errors() > 0 ? " (" + r.errors() + " errors)" : ""),
          fmt(r.remoteBytes() / 1e6));
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
  }

  private static void row(StringBuilder s, Object... cells) {
    s.append("|");
    for (Object c : cells) {
      s.append(' ').append(c).append(" |");
    }
    s.append('\n');
  }

  private static void targets(
      StringBuilder s, List<CellResult> results, Optional<HandClaims.Result> base) {
    for (Layout layout : Layout.values()) {
      Optional<CellResult> eight = find(results, layout, 4096, 8);
      if (base.isEmpty() || eight.isEmpty()) {
        continue;
      }
      double hand = base.get().perSecond();
      double needed = 10 * hand;
      CellResult r = eight.get();
      s.append("- (1) 8 claimers, 4,096 entries, ")
          .append(layout.label)
          .append(": ")
          .append(fmt(r.opsPerSecond()))
          .append(" ops/s (")
          .append(fmt(r.claimsPerSecond()))
          .append(" claims/s) against 10 x ")
          .append(fmt(hand))
          .append(" = ")
          .append(fmt(needed))
          .append(" hand claims/s: ")
          .append(fmt(r.opsPerSecond() / hand))
          .append(" x counting every commit (")
          .append(r.opsPerSecond() >= needed ? "met" : "not met")
          .append("), ")
          .append(fmt(r.claimsPerSecond() / hand))
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
