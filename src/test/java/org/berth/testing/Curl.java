package org.berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    List<String> command =
        new ArrayList<>(
            List.of(
                RequiredProgram.CURL.require().toString(),
                "-sS",
                "--max-time",
                "5",
                "--noproxy",
                "*",
                "-o",
                "-",
                "-w",
                "\n%{http_code}"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Answer(0, "curl did not finish");
      }
      int lastBreak = output.lastIndexOf('\n');
      int status = Integer.parseInt(output.substring(lastBreak + 1).strip());
      String body = output.substring(0, Math.max(lastBreak, 0));
      body = body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
      return new Answer(status, body);
    } catch (IOException e) {
      throw new AssertionError("cannot run curl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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
      command.addAll(
          List.of(
              "-sS",
              "--max-time",
              "5",
              "--noproxy",
              "*",
              "-o",
              "/dev/null",
              "-w",
              "%{http_code}\n"));
      command.addAll(args);
    }
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10 + transfers.size() / 20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("curl did not finish " + transfers.size() + " transfers");
      }
      return output.lines().map(String::strip).map(Integer::valueOf).toList();
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
