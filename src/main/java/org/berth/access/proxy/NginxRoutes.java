package org.berth.access.proxy;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Routes as nginx include files: one file {@code berth-<request id>.conf} per guest in a directory
 * that the site {@code deploy/nginx/berth-guests.conf} includes into its {@code map $host
 * $berth_upstream}. Each file holds a comment and one map entry, {@code <host> <address>:<port>;}.
 *
 * <p>Every change is written atomically, checked with the test command ({@code nginx -t}) and only
 * then made live with the reload command ({@code nginx -s reload}). When nginx refuses the change
 * or cannot be reloaded, the file is put back exactly as it was (its previous content, or no file)
 * so that nginx keeps serving, and the next reload loads, what it did before. Changes through all
 * writers on one directory in this JVM are serialised.
 */
public final class NginxRoutes implements ProxyRoutes {

  private static final Logger LOG = Logger.getLogger(NginxRoutes.class.getName());

  private static final Pattern ROUTE_FILE = Pattern.compile("berth-(\\d{1,18})\\.conf");
  private static final Pattern NGINX_MESSAGE =
      Pattern.compile(
          "^(?:nginx: )?(?:\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d )?"
              + "\\[(emerg|alert|crit|error)\\] (?:\\d+#\\d+: )?(.*)$");
  private static final int MAX_MESSAGE = 240;
  private static final int MAX_OUTPUT = 64 * 1024;
  private static final String HEADER = "# managed by Berth, do not edit\n";

  /** One lock per routes directory, shared by every writer on it in this JVM. */
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path routesDir;
  private final List<String> testCommand;
  private final List<String> reloadCommand;
  private final Duration commandTimeout;
  private final ReentrantLock lock;

  /**
   * @param routesDir the directory the site's map includes ({@code /etc/nginx/berth-routes})
   * @param testCommand checks nginx's whole configuration, such as {@code [sudo, -n, nginx, -t,
   *     -q]}; an argument list, run without a shell
   * @param reloadCommand makes nginx load its configuration, such as {@code [sudo, -n, nginx, -s,
   *     reload]}
   * @param commandTimeout how long each command may run before it is killed
   */
  public NginxRoutes(
      Path routesDir,
      List<String> testCommand,
      List<String> reloadCommand,
      Duration commandTimeout) {
    if (testCommand.isEmpty() || reloadCommand.isEmpty()) {
      throw new IllegalArgumentException("the test and reload commands must not be empty");
    }
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("the command timeout must be positive");
    }
    this.routesDir = routesDir.toAbsolutePath().normalize();
    this.testCommand = List.copyOf(testCommand);
    this.reloadCommand = List.copyOf(reloadCommand);
    this.commandTimeout = commandTimeout;
    this.lock = LOCKS.computeIfAbsent(this.routesDir, dir -> new ReentrantLock());
  }

  @Override
  public String description() {
    return "nginx include files in " + routesDir;
  }

  @Override
  public boolean put(Route route) {
    byte[] wanted = render(route);
    lock.lock();
    try {
      requireRoutesDir();
      Path file = fileOf(route.requestId());
      Optional<FileContent> previous = read(file);
      if (previous.isPresent() && Arrays.equals(previous.get().bytes(), wanted)) {
        return false;
      }
      writeAtomically(file, wanted, null);
      applyOrRestore(file, previous, route.id());
      LOG.log(
          Level.INFO,
          "nginx route {0} {1}: {2} -> {3}",
          new Object[] {
            route.id(), previous.isPresent() ? "changed" : "added", route.host(), route.upstream()
          });
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean remove(long requestId) {
    String id = Route.idOf(requestId);
    lock.lock();
    try {
      requireRoutesDir();
      Path file = fileOf(requestId);
      Optional<FileContent> previous = read(file);
      if (previous.isEmpty()) {
        return false;
      }
      try {
        Files.delete(file);
        syncDirectory();
      } catch (NoSuchFileException gone) {
        return false;
      } catch (IOException e) {
        throw new ProxyFailure("cannot delete " + file + ": " + e.getMessage(), false, e);
      }
      applyOrRestore(file, previous, id);
      LOG.log(Level.INFO, "nginx route {0} removed", id);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Set<Long> routes() {
    requireRoutesDir();
    Set<Long> ids = new TreeSet<>();
    try (Stream<Path> files = Files.list(routesDir)) {
      files.forEach(
          file -> {
            Matcher m = ROUTE_FILE.matcher(file.getFileName().toString());
            if (m.matches() && Files.isRegularFile(file)) {
              ids.add(Long.parseLong(m.group(1)));
            }
          });
    } catch (IOException e) {
      throw new ProxyFailure("cannot list " + routesDir + ": " + e.getMessage(), false, e);
    }
    return ids;
  }

  /** The include file's content: the comment and the one map entry. */
  static byte[] render(Route route) {
    // Route's constructor admits only a DNS name, an IPv4 address and a port: nothing here can
    // end the map entry early or start a new directive.
    return (HEADER + route.host() + " " + route.upstream() + ";\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private Path fileOf(long requestId) {
    return routesDir.resolve(Route.idOf(requestId) + ".conf");
  }

  private void requireRoutesDir() {
    if (!Files.isDirectory(routesDir)) {
      throw new ProxyFailure(
          "the nginx routes directory "
              + routesDir
              + " does not exist; create it, writable by Berth (see deploy/nginx/README.md)",
          false);
    }
  }

  /** Tests the directory as it is and reloads nginx, so that what is written is what is served. */
  @Override
  public void refresh() {
    lock.lock();
    try {
      requireRoutesDir();
      CommandResult test = run(testCommand);
      if (test.exit() != 0) {
        throw new ProxyFailure(
            "nginx refuses the configuration in " + routesDir + ": " + firstMessage(test), false);
      }
      CommandResult reload = run(reloadCommand);
      if (reload.exit() != 0) {
        throw new ProxyFailure("nginx could not be reloaded: " + firstMessage(reload), true);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Tests and reloads nginx; if either fails, puts {@code file} back as it was and rethrows. */
  private void applyOrRestore(Path file, Optional<FileContent> previous, String id) {
    try {
      CommandResult test = run(testCommand);
      if (test.exit() != 0) {
        throw new ProxyFailure(
            "nginx refused the configuration with route "
                + id
                + ", so the route was not changed: "
                + firstMessage(test),
            false);
      }
      CommandResult reload = run(reloadCommand);
      if (reload.exit() != 0) {
        throw new ProxyFailure(
            "nginx could not be reloaded, so route "
                + id
                + " was not changed: "
                + firstMessage(reload),
            true);
      }
    } catch (ProxyFailure failure) {
      try {
        restore(file, previous);
      } catch (IOException | RuntimeException e) {
        failure.addSuppressed(e);
        throw new ProxyFailure(
            failure.getMessage()
                + "; restoring "
                + file
                + " failed too ("
                + e.getMessage()
                + "), so fix or delete it before nginx is next reloaded",
            false,
            failure);
      }
      LOG.log(Level.WARNING, "{0}; {1} restored", new Object[] {failure.getMessage(), file});
      throw failure;
    }
  }

  /** Puts back the previous content with its modification time, or deletes the file. */
  private void restore(Path file, Optional<FileContent> previous) throws IOException {
    if (previous.isPresent()) {
      writeAtomically(file, previous.get().bytes(), previous.get().modified());
    } else {
      Files.deleteIfExists(file);
      syncDirectory();
    }
  }

  private record FileContent(byte[] bytes, FileTime modified) {}

  private static Optional<FileContent> read(Path file) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      return Optional.of(new FileContent(Files.readAllBytes(file), modified));
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ProxyFailure("cannot read " + file + ": " + e.getMessage(), false, e);
    }
  }

  /**
   * Writes through a temporary file in the same directory (a name nginx does not include), synced
   * to disk and then renamed over {@code file}, so nginx sees the old content or the new one and
   * never a part. {@code modified}, if not null, becomes the file's modification time.
   */
  private void writeAtomically(Path file, byte[] content, FileTime modified) {
    Path temp = null;
    try {
      temp = Files.createTempFile(routesDir, ".berth-", ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      // nginx's master reads the file, possibly as another user: 0644, whatever the umask.
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      if (modified != null) {
        Files.setLastModifiedTime(temp, modified);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      syncDirectory();
    } catch (AtomicMoveNotSupportedException e) {
      throw new ProxyFailure("cannot rename files atomically in " + routesDir, false, e);
    } catch (IOException e) {
      throw new ProxyFailure("cannot write " + file + ": " + e.getMessage(), false, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the failure above is what matters
        }
      }
    }
  }

  /** Makes a rename or delete in the directory durable. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(routesDir, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.log(Level.FINE, "cannot sync directory " + routesDir, e);
    }
  }

  private record CommandResult(List<String> command, int exit, String output) {}

  private CommandResult run(List<String> command) {
    File output = null;
    Process process = null;
    try {
      output = File.createTempFile("berth-nginx-", ".out");
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!process.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new ProxyFailure(
            String.join(" ", command)
                + " did not finish within "
                + commandTimeout.toMillis()
                + " ms and was killed",
            true);
      }
      return new CommandResult(command, process.exitValue(), readOutput(output));
    } catch (IOException e) {
      throw new ProxyFailure("cannot run " + command.get(0) + ": " + e.getMessage(), false, e);
    } catch (InterruptedException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      Thread.currentThread().interrupt();
      throw new ProxyFailure("interrupted while running " + command.get(0), true, e);
    } finally {
      if (output != null && !output.delete()) {
        output.deleteOnExit();
      }
    }
  }

  private static String readOutput(File output) throws IOException {
    try (var in = Files.newInputStream(output.toPath())) {
      return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
    }
  }

  /**
   * The line of a command's output that says what went wrong: nginx's first {@code [emerg]}, {@code
   * [alert]}, {@code [crit]} or {@code [error]} message without its time stamp and process id,
   * otherwise the first line that is not blank, cut short.
   */
  private static String firstMessage(CommandResult result) {
    List<String> lines = result.output().lines().map(String::strip).toList();
    String message =
        lines.stream()
            .map(NGINX_MESSAGE::matcher)
            .filter(Matcher::matches)
            .map(m -> "[" + m.group(1) + "] " + m.group(2))
            .findFirst()
            .or(() -> lines.stream().filter(line -> !line.isEmpty()).findFirst())
            .orElse(String.join(" ", result.command()) + " exited with " + result.exit());
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
  }
}
