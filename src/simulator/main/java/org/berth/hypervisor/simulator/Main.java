package org.berth.hypervisor.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulated Proxmox VE cluster on its own: {@code java -jar berth-simulator.jar --port
 * 8006}. Any Proxmox client can then be pointed at it with the API token it names. The token's
 * secret is read from a file, or made up and written to a new file only its owner can read; it is
 * never printed.
 */
public final class Main {

  static final String USAGE =
      """
      Usage: java -jar berth-simulator.jar [options]
        --port N                 port to listen on (default 8006; 0 picks a free one)
        --bind ADDRESS           loopback address to listen on (default 127.0.0.1)
        --token-id ID            API token the cluster accepts (default berth@pve!berth)
        --token-secret-file F    file holding the token's secret; when missing, a new secret
                                 is written there (default: a new file in the temporary folder)
        --task-seconds S         how long each simulated task runs (default 1, at most 3600)
        --console-user USER      a user (user@realm) who signs in with a password and may
                                 only open terminals (default: nobody signs in)
        --console-password-file F  file holding that user's password; when missing, a new
                                 one is written there, as for the token's secret
        --help                   this text
      """;

  private Main() {}

  public static void main(String[] args) {
    SimulatedProxmox cluster;
    try {
      cluster = start(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("berth-simulator: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (cluster == null) {
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cluster.stop();
                  stopped.countDown();
                }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts the cluster these arguments describe and says on {@code out} where it listens and which
   * token it accepts; null when only the usage was asked for.
   *
   * @throws IllegalArgumentException naming the option and its rule when an argument is wrong
   */
  static SimulatedProxmox start(String[] args, PrintStream out) {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    int port = 8006;
    String bind = "127.0.0.1";
    String tokenId = "berth@pve!berth";
    Path secretFile = null;
    double taskSeconds = 1;
    String consoleUser = null;
    Path passwordFile = null;
    while (!rest.isEmpty()) {
      String option = rest.removeFirst();
      switch (option) {
        case "--help", "-h" -> {
          out.print(USAGE);
          return null;
        }
        case "--port" -> port = number(option, value(option, rest), 0, 65535);
        case "--bind" -> bind = value(option, rest);
        case "--token-id" -> tokenId = value(option, rest);
        case "--token-secret-file" -> secretFile = Path.of(value(option, rest));
        case "--console-user" -> consoleUser = value(option, rest);
        case "--console-password-file" -> passwordFile = Path.of(value(option, rest));
        case "--task-seconds" -> {
          String value = value(option, rest);
          try {
            taskSeconds = Double.parseDouble(value);
          } catch (NumberFormatException e) {
            taskSeconds = Double.NaN;
          }
          if (!(taskSeconds >= 0 && taskSeconds <= 3600)) {
            throw new IllegalArgumentException("--task-seconds must be a number from 0 to 3600");
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (consoleUser == null && passwordFile != null) {
      throw new IllegalArgumentException("--console-password-file needs --console-user");
    }
    String secret = secret(secretFile, "--token-secret-file", out);
    String password =
        consoleUser == null ? null : secret(passwordFile, "--console-password-file", out);
    SimulatorSettings settings =
        new SimulatorSettings(
            bind,
            port,
            tokenId,
            secret,
            Duration.ofMillis(Math.round(taskSeconds * 1000)),
            null,
            null,
            consoleUser,
            password);
    SimulatedProxmox cluster = SimulatedProxmox.start(settings);
    out.println("Simulated Proxmox VE cluster at " + cluster.url() + ProxmoxApi.PREFIX + "/");
    out.println(
        "API token id " + tokenId + "; control API at " + cluster.url() + ControlApi.PREFIX + "/");
    if (consoleUser != null) {
      out.println("Console user " + consoleUser + " signs in with the password in its file.");
    }
    out.println("Nothing boots here: guests are records in this process, gone when it stops.");
    return cluster;
  }

  private static String value(String option, Deque<String> rest) {
    if (rest.isEmpty() || rest.peekFirst().startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return rest.removeFirst();
  }

  private static int number(String option, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        option + " must be a whole number from " + min + " to " + max);
  }

  /** The secret in {@code file}, or a new one written to it (or to a new file) for its owner. */
  private static String secret(Path file, String option, PrintStream out) {
    try {
      if (file != null && Files.exists(file)) {
        String secret = Files.readString(file, UTF_8).strip();
        if (secret.isEmpty() || secret.contains("\n")) {
          throw new IllegalArgumentException(
              option + " " + file + " must hold the secret on one line");
        }
        return secret;
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String secret = HexFormat.of().formatHex(random);
      var ownerOnly =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Path written =
          file == null
              ? Files.createTempFile("berth-simulator-", ".token", ownerOnly)
              : Files.createFile(file, ownerOnly);
      Files.writeString(written, secret + "\n", UTF_8);
      out.println(
          "A new "
              + (option.startsWith("--token") ? "token secret" : "console password")
              + " is in "
              + written
              + " (readable by its owner only)");
      return secret;
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " cannot be read or written: " + e.getMessage());
    }
  }
}
