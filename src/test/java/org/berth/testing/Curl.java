package org.berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real curl, as a user's HTTPS client. */
public final class Curl {

  /**
   * What the client got: the status (0 if no HTTP answer came) and the body without its final line
   * break.
   */
  public record Answer(int status, String body) {}

  private Curl() {}

  /** Runs {@code curl -sS --max-time 5 --noproxy '*' args...}. */
  public static Answer run(String... args) {
    List<String> command = new ArrayList<>(List.of(RequiredProgram.CURL.require().toString()));
    command.addAll(transfer("-", "\n%{http_code}"));
    command.addAll(List.of(args));
    Optional<String> finished = output(command, 10);
    if (finished.isEmpty()) {
      return new Answer(0, "curl did not finish");
    }
    String output = finished.get();
    int lastBreak = output.lastIndexOf('\n');
    int status = Integer.parseInt(output.substring(lastBreak + 1).strip());
    String body = output.substring(0, Math.max(lastBreak, 0));
    body = body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
    return new Answer(status, body);
  }

  /**
   * Runs one curl for many transfers, each with its own {@code args} (joined by {@code --next}, so
   * they share kept-alive connections), and returns each transfer's HTTP status in order: a
   * thousand requests cost one process instead of a thousand.
   */
  public static List<Integer> statuses(List<List<String>> transfers) {
    List<String> command = new ArrayList<>(List.of(RequiredProgram.CURL.require().toString()));
    for (List<String> args : transfers) {
      if (command.size() > 1) {
        command.add("--next");
      }
      command.addAll(transfer("/dev/null", "%{http_code}\n"));
      command.addAll(args);
    }
    return output(command, 10 + transfers.size() / 20)
        .orElseThrow(
            () -> new AssertionError("curl did not finish " + transfers.size() + " transfers"))
        .lines()
        .map(String::strip)
        .map(
            line -> {
              if (!line.matches("\\d{3}")) {
                throw new AssertionError("curl: " + line);
              }
              return Integer.valueOf(line);
            })
        .toList();
  }

  /** The options of one transfer: quiet but for errors, 5 s at most, no proxy, body and status. */
  private static List<String> transfer(String body, String writeOut) {
    return List.of("-sS", "--max-time", "5", "--noproxy", "*", "-o", body, "-w", writeOut);
  }

  /** What curl printed, standard error included, or empty if it ran past {@code seconds}. */
  private static Optional<String> output(List<String> command, int seconds) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(output);
    } catch (IOException e) {
      throw new AssertionError("cannot run curl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sleeps; an interruption fails the test. */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
