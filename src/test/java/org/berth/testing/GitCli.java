package org.berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code git} command line, as people use it on the ledger. */
public final class GitCli {

  private GitCli() {}

  /** Runs git in {@code dir}; returns its output, or throws with it if git failed. */
  public static String git(Path dir, String... args) {
    Result r = tryGit(dir, args);
    if (r.exit() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + " failed:\n" + r.output());
    }
    return r.output();
  }

  public record Result(int exit, String output) {}

  /**
   * A bare repository made with the git command line whose first commit holds the ledger of {@code
   * ipam-seed/}, as a site's ledger remote; returns its URL.
   */
  public static String seededRemote(Path bare) throws IOException {
    Path work = bare.resolveSibling(bare.getFileName() + "-seed");
    git(bare.getParent(), "init", "-q", "--bare", "-b", "main", bare.toString());
    git(bare.getParent(), "clone", "-q", bare.toString(), work.toString());
    java.nio.file.Files.copy(Path.of("ipam-seed/addresses.yaml"), work.resolve("addresses.yaml"));
    git(work, "add", "addresses.yaml");
    git(work, "commit", "-q", "-m", "The addresses registered in the IPAM");
    git(work, "push", "-q", "origin", "main");
    return bare.toUri().toString();
  }

  public static Result tryGit(Path dir, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-c",
                "user.name=Lars Hand",
                "-c",
                "user.email=lars@example.com",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "pull.rebase=true"));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("git " + String.join(" ", args) + " timed out");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new AssertionError("cannot run git: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
