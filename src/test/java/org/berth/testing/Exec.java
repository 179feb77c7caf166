package org.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs a program to its end, with a time limit, and keeps what it printed. */
public final class Exec {

  public record Result(int exit, String out, String err, Duration took) {
    /** Standard output and error together, for messages and for what ssh prints. */
    public String all() {
      return out + err;
    }
  }

  /** One thread per stream: blocking reads must not wait for each other. */
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "exec-output");
            t.setDaemon(true);
            return t;
          });

  private Exec() {}

  /** Runs {@code command}; with {@code env} not null, in exactly that environment. */
  public static Result run(List<String> command, Map<String, String> env, Duration limit)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process p = start(command, env);
    p.getOutputStream().close();
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within " + limit);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Result(p.exitValue(), out.join(), err.join(), took);
  }

  /** Starts {@code command} without waiting; with {@code env} not null, in exactly that one. */
  public static Process start(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (env != null) {
      builder.environment().clear();
      builder.environment().putAll(env);
    }
    return builder.start();
  }

  public static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        READERS);
  }
}
