package org.berth.ledger.bench;

import static org.berth.testing.GitCli.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.berth.ledger.bench.GeneratedLedger.Layout;
import org.berth.ledger.control.GitLedger;
import org.berth.ledger.control.Hostname;
import org.berth.ledger.control.LedgerWriter;
import org.berth.testing.TestDatabase;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Claim-and-release throughput and latency of {@link LedgerWriter} against a bare remote on local
 * disk, for ledgers of 256, 4,096 and 65,536 entries in one file or one file per /24, with 1 and 8
 * concurrent claimers; and, in the same run, the same claims made by hand with the git command line
 * as the baseline. Each Berth cell runs twice in a row: against a remote as {@code git init --bare}
 * makes it, and against one with {@code receive.autogc=false}, because JGit collects garbage in a
 * local remote after every push once it holds 50 packs. Everything is real: git, JGit, PostgreSQL
 * (embedded), files under {@code target/ledger-bench}.
 *
 * <p>Run with {@code mvn -Pbenchmark test} (see docs/benchmarks.md). System properties: {@code
 * bench.ops} (operations per cell, 200), {@code bench.seconds} (seconds per cell, 10), {@code
 * bench.handClaims} (claims per baseline, 50), {@code bench.only} (a regular expression on cell
 * names, to run a subset).
 */
public final class LedgerBenchmark {

  private static final PersonIdent COMMITTER = new PersonIdent("Berth", "berth@example.com");
  private static final int[] SIZES = {256, 4096, 65_536};

  /**
   * One file of 65,536 entries is over the YAML reader's size limit (3 MiB); this is the largest
   * power of two under it, measured in addition to show how one file scales.
   */
  private static final int LARGEST_ONE_FILE = 32_768;

  private static final int[] CLAIMERS = {1, 8};

  /** Loggers kept so that their levels stick. */
  private static final List<Logger> QUIET = new ArrayList<>();

  private final int opsBudget = Integer.getInteger("bench.ops", 200);
  private final Duration timeBudget = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
  private final int handClaims = Integer.getInteger("bench.handClaims", 50);
  private final String only = System.getProperty("bench.only", ".*");
  private final Path runDir = Path.of("target", "ledger-bench").toAbsolutePath();

  /** One cell of the benchmark. */
  record Cell(GeneratedLedger ledger, int claimers, boolean remoteGc) {
    String name() {
      return (ledger.layout() == Layout.ONE_FILE ? "one-file" : "per-24")
          + "-"
          + ledger.size()
          + "-x"
          + claimers
          + (remoteGc ? "" : "-nogc");
    }
  }

  /** What one cell measured. */
  record CellResult(
      Cell cell,
      double syncSeconds,
      Latencies all,
      Latencies claims,
      double seconds,
      int pushes,
      int remoteGcs,
      double gcTailSeconds,
      int errors,
      String firstError,
      String stoppedBy,
      long remoteBytes) {

    int ops() {
      return all.count();
    }

    double opsPerSecond() {
      return ops() == 0 ? Double.NaN : ops() / seconds;
    }

    double claimsPerSecond() {
      return ops() == 0 ? Double.NaN : claims.count() / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    for (String name : List.of("io.zonky", "org.flywaydb", "org.berth")) {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(Level.WARNING);
      QUIET.add(logger);
    }
    new LedgerBenchmark().run();
    // The embedded PostgreSQL stops in TestDatabase's shutdown hook.
    System.exit(0);
  }

  private void run() throws Exception {
    deleteTree(runDir);
    Files.createDirectories(runDir);
    Instant started = Instant.now();
    System.out.printf(
        "Ledger benchmark: %s, %d processors, Java %s, %s, max heap %d MB%n"
            + "Budget per cell: %d operations or %d s, whichever first; %d hand claims per"
            + " baseline.%n",
        started,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        git(runDir, "--version").strip(),
        Runtime.getRuntime().maxMemory() >> 20,
        opsBudget,
        timeBudget.toSeconds(),
        handClaims);

    // JIT and database warm-up: not reported.
    for (int claimers : CLAIMERS) {
      Cell warm = new Cell(new GeneratedLedger(Layout.ONE_FILE, 256), claimers, true);
      CellResult r = runCell(warm, "warmup-x" + claimers, 100, Duration.ofSeconds(4));
      System.out.printf("warm-up %s: %d ops%n", warm.name(), r.ops());
    }

    // Ledger by ledger: the hand baseline, then Berth on the same ledger with 1 and 8 claimers,
    // each cell twice in a row, with and without garbage collection in the remote.
    List<HandClaims.Result> baselines = new ArrayList<>();
    List<CellResult> results = new ArrayList<>();
    for (Layout layout : Layout.values()) {
      for (int size : SIZES) {
        GeneratedLedger ledger = new GeneratedLedger(layout, size);
        baseline(ledger).ifPresent(baselines::add);
        for (int claimers : CLAIMERS) {
          for (boolean remoteGc : new boolean[] {true, false}) {
            cell(new Cell(ledger, claimers, remoteGc)).ifPresent(results::add);
          }
        }
      }
    }
    for (int claimers : CLAIMERS) {
      for (boolean remoteGc : new boolean[] {true, false}) {
        cell(new Cell(new GeneratedLedger(Layout.ONE_FILE, LARGEST_ONE_FILE), claimers, remoteGc))
            .ifPresent(results::add);
      }
    }

    String report =
        Report.markdown(
            results, baselines, Duration.between(started, Instant.now()), opsBudget, timeBudget);
    Files.writeString(runDir.resolve("results.md"), report);
    System.out.println();
    System.out.println(report);
  }

  private Optional<HandClaims.Result> baseline(GeneratedLedger ledger) throws Exception {
    String name = "hand-" + new Cell(ledger, 1, true).name();
    if (!name.matches(only)) {
      return Optional.empty();
    }
    Path root = Files.createDirectories(runDir.resolve(name));
    HandClaims.Result r =
        HandClaims.run(ledger, root, Math.min(handClaims, ledger.size()), Duration.ofSeconds(30));
    System.out.printf(
        "%s: %d claims, %.1f claims/s, p50 %.1f ms, p99 %.1f ms%n",
        name,
        r.claims().count(),
        r.perSecond(),
        r.claims().percentileMs(50),
        r.claims().percentileMs(99));
    return Optional.of(r);
  }

  private Optional<CellResult> cell(Cell cell) throws Exception {
    if (!cell.name().matches(only)) {
      return Optional.empty();
    }
    CellResult r = runCell(cell, cell.name(), opsBudget, timeBudget);
    System.out.printf(
        "%s: %d ops in %.1f s, %.1f ops/s, p50 %.1f ms, p99 %.1f ms, %d pushes,"
            + " %d remote GCs, medians by fifth of the run %s ms, %d errors%s%n",
        cell.name(),
        r.ops(),
        r.seconds(),
        r.opsPerSecond(),
        r.all().percentileMs(50),
        r.all().percentileMs(99),
        r.pushes(),
        r.remoteGcs(),
        fifths(r.all()),
        r.errors(),
        r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
    return Optional.of(r);
  }

  private CellResult runCell(Cell cell, String dirName, int maxOps, Duration budget)
      throws Exception {
    GeneratedLedger ledger = cell.ledger();
    Path root = Files.createDirectories(runDir.resolve(dirName));
    Path remote = ledger.seedRemote(root);
    if (!cell.remoteGc()) {
      git(remote, "config", "receive.autogc", "false");
    }
    DataSource database = TestDatabase.fresh();
    long syncStart = System.nanoTime();
    try (LedgerWriter writer =
        new LedgerWriter(
            GitLedger.open(
                root.resolve("berth.git"),
                remote.toUri().toString(),
                "main",
                ledger.ledgerPath(),
                GitLedger.Access.NONE,
                30),
            database,
            COMMITTER,
            Clock.systemUTC(),
            20)) {
      writer.sync();
      double syncSeconds = (System.nanoTime() - syncStart) / 1e9;
      if (writer.broken().isPresent()) {
        // Berth refuses every change while the head does not validate: show what a claim gets.
        String refusal;
        try {
          writer.claim(GeneratedLedger.hostname(0), "user0", COMMITTER, "bench");
          refusal = "claim accepted on a broken ledger";
        } catch (RuntimeException e) {
          refusal = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new CellResult(
            cell,
            syncSeconds,
            new Latencies(),
            new Latencies(),
            0,
            0,
            0,
            0,
            1,
            refusal,
            "ledger refused",
            treeSize(remote));
      }
      if (writer.snapshot().orElseThrow().size() != ledger.size()) {
        throw new IllegalStateException("the writer did not read the whole ledger");
      }
      List<List<Integer>> plans = EntryPlan.spread(ledger.size(), cell.claimers(), 42);

      // One claim and release per claimer first, on entries the measured phase does not use.
      Phase warm = new Phase(writer, plans, 0, 2 * cell.claimers(), Duration.ofSeconds(60));
      warm.run();
      int pushesBefore = packs(remote, false);
      int gcsBefore = packs(remote, true);
      Phase measured = new Phase(writer, plans, 1, maxOps, budget);
      measured.run();
      double gcTail = awaitBackgroundGc();
      int pushes = packs(remote, false) - pushesBefore;
      int gcs = packs(remote, true) - gcsBefore;
      String stoppedBy =
          measured.errors.get() > 0
              ? "error"
              : measured.started.get() >= maxOps / 2 ? "operations" : "time";
      return new CellResult(
          cell,
          syncSeconds,
          measured.all,
          measured.claims,
          measured.seconds(),
          pushes,
          gcs,
          gcTail,
          measured.errors.get(),
          measured.firstError.get(),
          stoppedBy,
          treeSize(remote));
    }
  }

  /** Claimers looping claim-then-release on their own entries until the budget is spent. */
  private static final class Phase {
    final LedgerWriter writer;
    final List<List<Integer>> plans;
    final int offset;
    final int maxPairs;
    final Duration budget;
    final Latencies all = new Latencies();
    final Latencies claims = new Latencies();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicReference<String> firstError = new AtomicReference<>();
    final AtomicLong lastEnd = new AtomicLong();
    long start;

    Phase(LedgerWriter writer, List<List<Integer>> plans, int offset, int maxOps, Duration budget) {
      this.writer = writer;
      this.plans = plans;
      this.offset = offset;
      this.maxPairs = Math.max(1, maxOps / 2);
      this.budget = budget;
    }

    void run() throws InterruptedException {
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < plans.size(); c++) {
        int claimer = c;
        Thread t = new Thread(() -> claimer(claimer, go), "claimer-" + c);
        t.start();
        threads.add(t);
      }
      start = System.nanoTime();
      lastEnd.set(start);
      go.countDown();
      for (Thread t : threads) {
        t.join(budget.toMillis() + 300_000);
        if (t.isAlive()) {
          throw new IllegalStateException(t.getName() + " is stuck");
        }
      }
    }

    private void claimer(int claimer, CountDownLatch go) {
      String user = "user" + claimer;
      PersonIdent author = new PersonIdent(user, user + "@example.com");
      List<Integer> plan = plans.get(claimer);
      try {
        go.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long deadline = start + budget.toNanos();
      for (int i = offset; ; i++) {
        if (System.nanoTime() >= deadline || started.getAndIncrement() >= maxPairs) {
          return;
        }
        Hostname host = GeneratedLedger.hostname(plan.get(i % plan.size()));
        try {
          long a = System.nanoTime();
          writer.claim(host, user, author, "bench");
          long b = System.nanoTime();
          claims.add(b - a);
          all.add(b - a);
          writer.release(host, user, author, "bench");
          long d = System.nanoTime();
          all.add(d - b);
          lastEnd.accumulateAndGet(d, Math::max);
        } catch (RuntimeException e) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
          return;
        }
      }
    }

    double seconds() {
      return (lastEnd.get() - start) / 1e9;
    }
  }

  /**
   * Packs in a bare repository written by JGit: each push received leaves one pack without a
   * bitmap; each garbage collection one with a bitmap.
   */
  private static int packs(Path bare, boolean withBitmap) throws IOException {
    try (Stream<Path> files = Files.list(bare.resolve("objects/pack"))) {
      return (int)
          files
              .map(Path::toString)
              .filter(p -> p.endsWith(".pack"))
              .filter(
                  p -> Files.exists(Path.of(p.replaceFirst("\\.pack$", ".bitmap"))) == withBitmap)
              .count();
    }
  }

  /**
   * Waits until no garbage collection started by JGit after a push is running in this JVM; returns
   * how long that took. JGit runs them on its own threads, so they outlive the pushes.
   */
  private static double awaitBackgroundGc() throws InterruptedException {
    long start = System.nanoTime();
    long limit = start + Duration.ofMinutes(2).toNanos();
    for (int quiet = 0; quiet < 3 && System.nanoTime() < limit; ) {
      Thread.sleep(50);
      quiet = gcRunning() ? 0 : quiet + 1;
    }
    return Math.max(0, (System.nanoTime() - start) / 1e9 - 0.15);
  }

  private static boolean gcRunning() {
    return Thread.getAllStackTraces().values().stream()
        .flatMap(Arrays::stream)
        .anyMatch(f -> f.getClassName().startsWith("org.eclipse.jgit.internal.storage.file.GC"));
  }

  private static long treeSize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(LedgerBenchmark::size).sum();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0; // a temporary file that went away
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The medians of each fifth of the operations, in the order they finished. */
  private static String fifths(Latencies latencies) {
    List<String> medians = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      medians.add(fmt(latencies.medianMs(i / 5.0, (i + 1) / 5.0)));
    }
    return String.join("/", medians);
  }

  static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
  }
}
