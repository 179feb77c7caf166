package org.berth.ledger.bench;

import static org.berth.testing.GitCli.git;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: claims made the way people make them by hand, one after the other, in a person's
 * clone with the git command line (pull --rebase, edit with awk, commit, push), each timed around
 * the whole iteration by bash itself.
 */
final class HandClaims {

  /** One iteration per line of input ("file host"); prints "start end" in epoch seconds. */
  static final String SCRIPT =
      """
      #!/bin/bash
      set -euo pipefail
      export LC_ALL=C
      cd "$1"
      deadline=$2
      today=$(date -u +%F)
      git config user.name "Lars Hand"
      git config user.email lars@example.com
      while read -r file host; do
        t0=$EPOCHREALTIME
        if (( ${t0%.*} >= deadline )); then break; fi
        git pull --rebase -q
        awk -v h="- Host: $host" -v d="$today" \\
          '$0 == h { f = 1 } { print } f && /^  MAC:/ { print "  User: lars"; print "  Date: " d; f = 0 }' \\
          "$file" > "$file.new"
        mv "$file.new" "$file"
        git commit -q -am "Take $host by hand"
        git push -q origin main
        t1=$EPOCHREALTIME
        echo "$t0 $t1"
      done
      """;

  /** What the loop did. */
  record Result(GeneratedLedger ledger, Latencies claims, double seconds) {
    double perSecond() {
      return claims.count() / seconds;
    }
  }

  private HandClaims() {}

  /** Makes up to {@code claims} claims of distinct entries, stopping after {@code budget}. */
  static Result run(GeneratedLedger ledger, Path root, int claims, Duration budget)
      throws IOException, InterruptedException {
    Path remote = ledger.seedRemote(root);
    Path person = root.resolve("person");
    git(root, "clone", "-q", remote.toString(), person.toString());
    Path script = root.resolve("claim-by-hand.sh");
    Files.writeString(script, SCRIPT);

    long deadline = System.currentTimeMillis() / 1000 + budget.toSeconds();
    Process p =
        new ProcessBuilder("bash", script.toString(), person.toString(), Long.toString(deadline))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (Writer in = p.outputWriter(StandardCharsets.UTF_8)) {
      for (int entry : EntryPlan.spread(ledger.size(), 1, 7).get(0).subList(0, claims)) {
        in.write(ledger.fileOf(entry) + " " + GeneratedLedger.host(entry) + "\n");
      }
    }
    List<double[]> spans = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        String[] t = line.trim().split(" ");
        spans.add(new double[] {Double.parseDouble(t[0]), Double.parseDouble(t[1])});
      }
    }
    if (!p.waitFor(budget.toSeconds() + 120, TimeUnit.SECONDS)) {
      p.destroy();
      throw new IllegalStateException("the hand-claim loop did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("the hand-claim loop failed with exit " + p.exitValue());
    }
    if (spans.isEmpty()) {
      throw new IllegalStateException("the hand-claim loop made no claim");
    }
    Latencies latencies = new Latencies();
    for (double[] s : spans) {
      latencies.add((long) ((s[1] - s[0]) * 1e9));
    }
    double seconds = spans.get(spans.size() - 1)[1] - spans.get(0)[0];
    int commits = Integer.parseInt(git(remote, "rev-list", "--count", "main").strip());
    if (commits != 1 + spans.size()) {
      throw new IllegalStateException("the remote does not hold every hand claim");
    }
    return new Result(ledger, latencies, seconds);
  }
}
