package org.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH server for a test: {@code /usr/sbin/sshd -D -e -f <config>} on a given address and
 * port, with a fresh host key, and with accounts that exist for this sshd only.
 *
 * <p>Its files (config, host key, log, the accounts' homes, files the caller adds) live in a
 * private directory under {@code /run}, owned by root with mode 0755. sshd refuses files under a
 * group- or world-writable directory (StrictModes for authorized_keys, and always for an
 * AuthorizedKeysCommand program), which rules out {@code /tmp}; the directory is readable so that
 * the accounts and an AuthorizedKeysCommandUser can reach files in it.
 *
 * <p>Accounts added with {@link #account} are appended to copies of {@code /etc/passwd}, {@code
 * /etc/shadow} (password field {@code *}: no password, but not locked, which {@code UsePAM no}
 * requires for key logins) and {@code /etc/group}. sshd runs in a private mount namespace in which
 * the copies are bind-mounted over the originals: {@code unshare -m --propagation private sh -c
 * 'mount --bind ...; exec sshd ...'}. sshd and everything it starts (its per-connection children,
 * the AuthorizedKeysCommand, the users' shells) see the accounts; the machine's own files never
 * change. This needs root, and no name service cache (nscd) between the programs and the files.
 *
 * <p>With {@link #commandPrefix} the whole command runs behind a prefix such as {@code ip netns
 * exec <namespace>} (the caller sets the namespace up, its loopback included); readiness is then
 * read from sshd's log line "Server listening on", because the port cannot be probed from outside
 * the namespace. {@link #start} creates {@code /run/sshd}, without which sshd does not start.
 *
 * <pre>{@code
 * try (Sshd guest = Sshd.create("guest")) {
 *   guest.account("guest", "/bin/sh");
 *   guest.authorizeKeys("guest", publicKeyLine);
 *   guest.start("127.0.0.1", port, "UsePAM no\nAuthorizedKeysFile " + guest.authorizedKeysFiles());
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops sshd and every process under it (connections, commands) and removes the
 * directory.
 */
public final class Sshd implements AutoCloseable {

  private static final Path RUN = Path.of("/run");
  private static final int FIRST_ID = 62000;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  /** Mounts the copies ($1 passwd, $2 shadow, $3 group) in the new namespace, then runs sshd. */
  private static final String MOUNT_AND_EXEC =
      "mount --bind \"$1\" /etc/passwd && mount --bind \"$2\" /etc/shadow"
          + " && mount --bind \"$3\" /etc/group && shift 3 && exec \"$@\"";

  private record Account(String name, int uid, int gid, String shell, Path home) {}

  private final String name;
  private final Path dir;
  private final List<String> prefix = new ArrayList<>();
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final Map<String, Integer> newGroups = new LinkedHashMap<>();
  private final Map<String, List<String>> members = new LinkedHashMap<>();
  private final Set<Integer> usedUids;
  private final Set<Integer> usedGids;
  private Process process;

  private Sshd(String name, Path dir) {
    this.name = name;
    this.dir = dir;
    this.usedUids = ids(Path.of("/etc/passwd"), 2);
    this.usedGids = ids(Path.of("/etc/group"), 2);
  }

  /**
   * Makes the private directory and a host key for an sshd called {@code name} (used in the
   * directory name and in messages). Close it even if {@link #start} is never called.
   */
  public static Sshd create(String name) throws IOException {
    RequiredProgram.SSHD.require();
    RequiredProgram.SSH_KEYGEN.require();
    RequiredProgram.UNSHARE.require();
    Path dir = Files.createTempDirectory(RUN, "berth-test-sshd-" + name + "-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Sshd sshd = new Sshd(name, dir);
    try {
      generateKey(dir.resolve("ssh_host_ed25519_key"));
      return sshd;
    } catch (IOException | RuntimeException | Error e) {
      sshd.close();
      throw e;
    }
  }

  /**
   * Generates an ed25519 key pair without passphrase: {@code file} and {@code file.pub}, like
   * {@code ssh-keygen -t ed25519 -N '' -f file}. Returns the public key line.
   */
  public static String generateKey(Path file) throws IOException {
    run(
        List.of(
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "berth-test",
            "-f",
            file.toString()));
    return Files.readString(file.resolveSibling(file.getFileName() + ".pub")).strip();
  }

  /** The private directory; files the caller puts here are removed by {@link #close()}. */
  public Path dir() {
    return dir;
  }

  /**
   * Runs sshd behind {@code prefix}, e.g. {@code "ip", "netns", "exec", "ns1"}. Call before {@link
   * #start}.
   */
  public Sshd commandPrefix(String... prefix) {
    requireNotStarted();
    this.prefix.clear();
    this.prefix.addAll(List.of(prefix));
    return this;
  }

  /**
   * Adds an account that exists for this sshd only: its own primary group of the same name, member
   * of {@code groups} (created where the machine lacks them), password field {@code *}, home {@code
   * dir()/home/<name>} owned by it, and the given login shell. Call before {@link #start}.
   */
  public Sshd account(String name, String shell, String... groups) throws IOException {
    requireNotStarted();
    if (accounts.containsKey(name) || lineStartingWith(Path.of("/etc/passwd"), name) != null) {
      throw new IllegalArgumentException("account " + name + " exists already");
    }
    int gid = group(name);
    int uid = next(usedUids);
    Path home = dir.resolve("home").resolve(name);
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    run(List.of("chown", uid + ":" + gid, home.toString()));
    accounts.put(name, new Account(name, uid, gid, shell, home));
    for (String g : groups) {
      group(g);
      members.computeIfAbsent(g, k -> new ArrayList<>()).add(name);
    }
    return this;
  }

  /** The user id of an account added with {@link #account}. */
  public int uid(String account) {
    return known(account).uid();
  }

  /** The id of a group: one this sshd added, or one of the machine's. */
  public int gid(String group) {
    Integer gid = newGroups.get(group);
    if (gid != null) {
      return gid;
    }
    String line = lineStartingWith(Path.of("/etc/group"), group);
    if (line == null) {
      throw new IllegalArgumentException("no group " + group);
    }
    return Integer.parseInt(line.split(":", -1)[2]);
  }

  /** The home directory of an account added with {@link #account}. */
  public Path home(String account) {
    return known(account).home();
  }

  /**
   * Writes the authorized_keys file of {@code account} to {@code dir()/authorized_keys/<account>},
   * owned by root, mode 0644; {@link #authorizedKeysFiles()} is the matching AuthorizedKeysFile.
   */
  public Sshd authorizeKeys(String account, String... lines) throws IOException {
    Path keys = dir.resolve("authorized_keys");
    Files.createDirectories(keys);
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = keys.resolve(account);
    Files.writeString(file, String.join("\n", lines) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return this;
  }

  /** The value for sshd's AuthorizedKeysFile that reads the files {@link #authorizeKeys} writes. */
  public String authorizedKeysFiles() {
    return dir.resolve("authorized_keys") + "/%u";
  }

  /**
   * Starts sshd listening on {@code address} and {@code port} with {@code config} (sshd_config
   * lines; Port, ListenAddress, HostKey and PidFile are set before them, so they must not set
   * those), and returns once it accepts connections. Throws with the log if it exits or does not
   * listen within 15 s.
   */
  public Sshd start(String address, int port, String config) throws IOException {
    requireNotStarted();
    Path configFile = dir.resolve("sshd_config");
    Files.writeString(
        configFile,
        String.join(
            "\n",
            "# " + name + ", written by " + Sshd.class.getName(),
            "Port " + port,
            "ListenAddress " + address,
            "HostKey " + dir.resolve("ssh_host_ed25519_key"),
            "PidFile " + dir.resolve("sshd.pid"),
            config,
            ""));
    // sshd's privilege separation directory: without it sshd does not start.
    Path privsep = Path.of("/run/sshd");
    if (!Files.isDirectory(privsep)) {
      Files.createDirectories(privsep);
      Files.setPosixFilePermissions(privsep, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            "unshare",
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            MOUNT_AND_EXEC,
            "sh",
            writePasswd().toString(),
            writeShadow().toString(),
            writeGroup().toString(),
            RequiredProgram.SSHD.path().toString(),
            "-D",
            "-e",
            "-f",
            configFile.toString()));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    awaitListening(address, port);
    return this;
  }

  /** What sshd has logged so far (it logs to stderr with {@code -e}). */
  public String log() {
    try {
      Path log = dir.resolve("sshd.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops sshd and every process under it, and removes the private directory. */
  @Override
  public void close() {
    if (process != null) {
      ProcessHandle main = process.toHandle();
      List<ProcessHandle> all = new ArrayList<>(main.descendants().toList());
      all.add(main);
      all.forEach(ProcessHandle::destroy);
      for (ProcessHandle p : all) {
        try {
          p.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          p.destroyForcibly();
        }
      }
      process = null;
    }
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }

  private void awaitListening(String address, int port) throws IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("sshd " + name + " exited:\n" + log());
      }
      if (log().contains("Server listening on") && (!prefix.isEmpty() || accepts(address, port))) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting sshd " + name, e);
      }
    }
    throw new AssertionError("sshd " + name + " did not listen on " + port + ":\n" + log());
  }

  private static boolean accepts(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Path writePasswd() throws IOException {
    StringBuilder lines = new StringBuilder();
    for (Account a : accounts.values()) {
      lines.append(
          String.join(
              ":",
              a.name(),
              "x",
              Integer.toString(a.uid()),
              Integer.toString(a.gid()),
              "Berth test account",
              a.home().toString(),
              a.shell()));
      lines.append('\n');
    }
    return copyAndAppend(Path.of("/etc/passwd"), "passwd", lines.toString());
  }

  private Path writeShadow() throws IOException {
    StringBuilder lines = new StringBuilder();
    for (Account a : accounts.values()) {
      lines.append(a.name()).append(":*:19000:0:99999:7:::\n");
    }
    return copyAndAppend(Path.of("/etc/shadow"), "shadow", lines.toString());
  }

  private Path writeGroup() throws IOException {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("/etc/group"))) {
      String group = line.split(":", -1)[0];
      List<String> extra = members.get(group);
      if (extra != null && !newGroups.containsKey(group)) {
        line = line + (line.endsWith(":") ? "" : ",") + String.join(",", extra);
      }
      out.append(line).append('\n');
    }
    newGroups.forEach(
        (group, gid) ->
            out.append(group)
                .append(":x:")
                .append(gid)
                .append(':')
                .append(String.join(",", members.getOrDefault(group, List.of())))
                .append('\n'));
    Path copy = dir.resolve("group");
    Files.writeString(copy, out.toString());
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
    return copy;
  }

  /** A copy of {@code original} with its owner and mode, and {@code lines} appended. */
  private Path copyAndAppend(Path original, String name, String lines) throws IOException {
    Path copy = dir.resolve(name);
    Files.copy(
        original, copy, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
    String text = Files.readString(copy);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      lines = "\n" + lines;
    }
    Files.writeString(copy, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    return copy;
  }

  private int group(String group) {
    if (newGroups.containsKey(group) || lineStartingWith(Path.of("/etc/group"), group) != null) {
      return gid(group);
    }
    int gid = next(usedGids);
    newGroups.put(group, gid);
    return gid;
  }

  private Account known(String account) {
    Account a = accounts.get(account);
    if (a == null) {
      throw new IllegalArgumentException("no account " + account + " added to sshd " + name);
    }
    return a;
  }

  private void requireNotStarted() {
    if (process != null) {
      throw new IllegalStateException("sshd " + name + " is already running");
    }
  }

  private static int next(Set<Integer> used) {
    int id = FIRST_ID;
    while (used.contains(id)) {
      id++;
    }
    used.add(id);
    return id;
  }

  private static String lineStartingWith(Path file, String name) {
    try {
      return Files.readAllLines(file).stream()
          .filter(l -> l.startsWith(name + ":"))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<Integer> ids(Path file, int field) {
    Set<Integer> ids = new HashSet<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String[] f = line.split(":", -1);
        if (f.length > field && f[field].matches("\\d+")) {
          ids.add(Integer.parseInt(f[field]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }
}
