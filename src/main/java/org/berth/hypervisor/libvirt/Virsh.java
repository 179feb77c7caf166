package org.berth.hypervisor.libvirt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.berth.hypervisor.HypervisorFailure;

/**
 * {@code virsh} on one connection: each call is one process with {@code -c URI}, ended by a
 * timeout. A failed call is a {@link HypervisorFailure} with virsh's own error line; one that could
 * not reach libvirt is transient.
 */
final class Virsh {

  /** What virsh says when the connection, not the request, failed: trying again may help. */
  private static final Pattern UNREACHABLE =
      Pattern.compile(
          "failed to connect to the hypervisor|Cannot recv data|End of file while reading data"
              + "|Connection reset|Connection refused|No route to host|timed out|Broken pipe"
              + "|Cannot write data|Failed to connect socket",
          Pattern.CASE_INSENSITIVE);

  /** Bytes of a call's output kept: a cluster of thousands of domains lists in far less. */
  static final int MAX_OUTPUT = 16 * 1024 * 1024;

  private final String program;
  private final String uri;
  private final String where;
  private final Duration timeout;

  /**
   * @param where how failures name the connection, such as {@code libvirt on kvm1}: they reach a
   *     guest's owner, who has no business with the connection URI and its user and host
   */
  Virsh(String program, String uri, String where, Duration timeout) {
    this.program = program;
    this.uri = uri;
    this.where = where;
    this.timeout = timeout;
  }

  /** Runs {@code virsh -c URI args}; its standard output, or a failure naming what was asked. */
  String run(String... args) {
    return run(null, args);
  }

  /** As {@link #run(String...)}, with {@code input} on virsh's standard input. */
  String run(byte[] input, String... args) {
    List<String> command = new ArrayList<>(List.of(program, "-q", "-c", uri));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new HypervisorFailure(
          "cannot run " + program + " (is libvirt-clients installed?): " + e.getMessage(), false);
    }
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    try {
      if (input != null) {
        process.getOutputStream().write(input);
      }
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new HypervisorFailure(
            where
                + " did not answer '"
                + args[0]
                + "' within "
                + timeout.toSeconds()
                + " s (berth.libvirt.timeout-seconds)",
            true);
      }
      String stdout = new String(collected(out, args[0]), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        String message =
            errorLine(new String(collected(err, args[0]), StandardCharsets.UTF_8))
                .replace(uri, where);
        throw new HypervisorFailure(
            where + " refused '" + args[0] + "': " + message, UNREACHABLE.matcher(message).find());
      }
      return stdout;
    } catch (IOException e) {
      process.destroyForcibly();
      throw new HypervisorFailure(where + ": '" + args[0] + "' failed: " + e.getMessage(), true);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new HypervisorFailure("interrupted while libvirt ran '" + args[0] + "'", true);
    }
  }

  /** Whether virsh's failure says the thing asked for does not exist. */
  static boolean notFound(HypervisorFailure e) {
    String m = e.getMessage();
    return m.contains("failed to get domain")
        || m.contains("Domain not found")
        || m.contains("Storage volume not found")
        || m.contains("failed to get vol")
        || m.contains("no storage vol with matching");
  }

  private byte[] collected(CompletableFuture<byte[]> output, String command) {
    try {
      return output.join();
    } catch (CompletionException e) {
      throw new HypervisorFailure(
          where + ": '" + command + "' failed: " + e.getCause().getMessage(), false);
    }
  }

  private static String errorLine(String stderr) {
    List<String> lines = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      String s = line.strip();
      if (!s.isEmpty()) {
        lines.add(s.startsWith("error: ") ? s.substring(7) : s);
      }
    }
    String joined = String.join("; ", lines);
    return joined.isEmpty()
        ? "no reason given"
        : joined.substring(0, Math.min(joined.length(), 500));
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
              if (kept.size() + n > MAX_OUTPUT) {
                throw new IOException("virsh wrote more than " + MAX_OUTPUT + " bytes");
              }
              kept.write(buffer, 0, n);
            }
            return kept.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
