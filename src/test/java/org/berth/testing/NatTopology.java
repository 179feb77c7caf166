package org.berth.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A NAT network for test guests, made of Linux network namespaces, as Berth's NAT guests see it:
 * guests on an internal bridge behind a gateway that masquerades their traffic, and the root
 * namespace (where the test runs nginx, Caddy, sshd or Berth) routing to the internal network
 * through that gateway.
 *
 * <pre>
 * root namespace                         namespace PREFIX-gw
 *   PREFIX-up 10.232.N.1/30  ── veth ──    up0 10.232.N.2/30
 *   route 10.231.N.0/24 via 10.232.N.2     br0 10.231.N.1/24, ip_forward on,
 *                                          nftables: masquerade 10.231.N.0/24 out of up0
 *                                            │
 *                                          v-NAME ── veth ── eth0 10.231.N.x/24, default via .1
 *                                                            in namespace PREFIX-NAME (a guest)
 * </pre>
 *
 * <p>Only the interface {@code PREFIX-up} lives in the root namespace; everything else is inside
 * namespaces the topology creates. {@link #create} first removes whatever a crashed run with the
 * same prefix left behind, so give each test class its own prefix, and its own network number if
 * two classes may run at once. {@link #close()} stops every process started in the topology,
 * deletes the namespaces, the veth pairs and the root route, and keeps going after failures.
 *
 * <pre>{@code
 * try (NatTopology nat = NatTopology.create("bpn", 77)) {
 *   NatTopology.Guest web = nat.addGuest("web", nat.address(10));
 *   web.serveHttp(8080, "hello from web");
 *   // http://10.231.77.10:8080/ now answers "hello from web\n" from the root namespace
 *   Process sshd = web.exec("/usr/sbin/sshd", "-D", "-e", "-f", config.toString());
 * }
 * }</pre>
 *
 * <p>Needs root, {@code ip} and {@code nft} ({@code nginx} for {@link Guest#serveHttp}); without
 * them the calling test is skipped, or fails in CI (see {@link RequiredProgram}).
 */
public final class NatTopology implements AutoCloseable {

  /** The network number used by {@link #create(String)}: 10.231.77.0/24 behind 10.232.77.0/30. */
  public static final int DEFAULT_NETWORK = 77;

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,7}");
  private static final Pattern GUEST_NAME = Pattern.compile("[a-z][a-z0-9]{0,9}");
  private static final Pattern BODY = Pattern.compile("[A-Za-z0-9 ._,:/+=-]{1,200}");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(3);
  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(15);

  private final String prefix;
  private final int network;
  private final Path workDir;
  private final Map<String, Guest> guests = new LinkedHashMap<>();
  private final Thread shutdownHook;
  private boolean closed;

  private NatTopology(String prefix, int network, Path workDir) {
    this.prefix = prefix;
    this.network = network;
    this.workDir = workDir;
    this.shutdownHook = new Thread(this::closeQuietly, "nat-topology-" + prefix + "-cleanup");
  }

  /** Creates the topology on the {@linkplain #DEFAULT_NETWORK default network}. */
  public static NatTopology create(String prefix) {
    return create(prefix, DEFAULT_NETWORK);
  }

  /**
   * Creates the gateway namespace {@code <prefix>-gw}, its uplink to the root namespace and the
   * root route to the internal network.
   *
   * @param prefix one to eight lower-case letters and digits, starting with a letter; names every
   *     namespace and the root-side interface. Leftovers of an earlier run with this prefix are
   *     removed first.
   * @param network N in the internal network 10.231.N.0/24 and the uplink 10.232.N.0/30, 1 to 254;
   *     two topologies that exist at the same time need different numbers
   */
  public static NatTopology create(String prefix, int network) {
    RequiredProgram.requireRoot();
    RequiredProgram.IP.require();
    RequiredProgram.NFT.require();
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix must be 1 to 8 lower-case letters and digits, starting with a letter");
    }
    if (network < 1 || network > 254) {
      throw new IllegalArgumentException("network must be from 1 to 254");
    }
    removeLeftovers(prefix);
    Path workDir;
    try {
      workDir =
          Files.createTempDirectory(
              Path.of(System.getProperty("java.io.tmpdir")), "nat-" + prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NatTopology topology = new NatTopology(prefix, network, workDir);
    Runtime.getRuntime().addShutdownHook(topology.shutdownHook);
    try {
      topology.build();
    } catch (RuntimeException | Error e) {
      try {
        topology.close();
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return topology;
  }

  /** The prefix of every name this topology creates. */
  public String prefix() {
    return prefix;
  }

  /** The internal network of the guests, such as {@code 10.231.77.0/24}. */
  public String internalNetwork() {
    return "10.231." + network + ".0/24";
  }

  /** The gateway's address on the internal network, the guests' default route ({@code .1}). */
  public String gatewayAddress() {
    return address(1);
  }

  /**
   * The root namespace's address on the uplink ({@code 10.232.N.1}): where guests reach services of
   * the root namespace. Their connections arrive from {@code 10.232.N.2}, the gateway's
   * masquerading address.
   */
  public String rootAddress() {
    return "10.232." + network + ".1";
  }

  /** The address {@code 10.231.N.<host>} on the internal network. */
  public String address(int host) {
    if (host < 1 || host > 254) {
      throw new IllegalArgumentException("host must be from 1 to 254");
    }
    return "10.231." + network + "." + host;
  }

  /** The gateway's namespace, {@code <prefix>-gw}. */
  public String gatewayNamespace() {
    return prefix + "-gw";
  }

  /**
   * Adds a guest: namespace {@code <prefix>-<name>} with {@code eth0} on the internal bridge,
   * {@code ipv4}/24 and a default route via the gateway.
   *
   * @param name one to ten lower-case letters and digits, starting with a letter
   * @param ipv4 a free address of the internal network other than the gateway's, see {@link
   *     #address(int)}
   */
  public synchronized Guest addGuest(String name, String ipv4) {
    requireOpen();
    if (name == null || !GUEST_NAME.matcher(name).matches() || name.equals("gw")) {
      throw new IllegalArgumentException(
          "guest name must be 1 to 10 lower-case letters and digits, starting with a letter, not"
              + " gw");
    }
    if (guests.containsKey(name)) {
      throw new IllegalArgumentException("there is already a guest named " + name);
    }
    String networkPrefix = "10.231." + network + ".";
    if (ipv4 == null
        || !ipv4.startsWith(networkPrefix)
        || !ipv4.substring(networkPrefix.length()).matches("[1-9]\\d{0,2}")
        || Integer.parseInt(ipv4.substring(networkPrefix.length())) > 254
        || ipv4.equals(gatewayAddress())) {
      throw new IllegalArgumentException(
          "guest address must be a host address of " + internalNetwork() + " other than .1");
    }
    Guest guest = new Guest(name, ipv4);
    guests.put(name, guest);
    try {
      guest.build();
    } catch (RuntimeException | Error e) {
      try {
        guest.remove();
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return guest;
  }

  /** The guests that exist now, in the order they were added. */
  public synchronized List<Guest> guests() {
    return List.copyOf(guests.values());
  }

  /**
   * Stops every process started in the topology's namespaces, deletes the guests, the gateway, the
   * uplink and the root route, and the working directory. Keeps going when a step fails and throws
   * the first failure at the end, with the others suppressed. Calling it again does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RuntimeException> problems = new ArrayList<>();
    for (Guest guest : List.copyOf(guests.values())) {
      try {
        guest.remove();
      } catch (RuntimeException e) {
        problems.add(e);
      }
    }
    try {
      removeNamespaceAndUplink(prefix);
    } catch (RuntimeException e) {
      problems.add(e);
    }
    try {
      deleteRecursively(workDir);
    } catch (RuntimeException e) {
      problems.add(e);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // close() runs from the hook itself
    }
    if (!problems.isEmpty()) {
      RuntimeException first = problems.get(0);
      problems.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("NatTopology " + prefix + ": cleanup failed: " + e);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the topology " + prefix + " is closed");
    }
  }

  private void build() {
    String gw = gatewayNamespace();
    String uplink = prefix + "-up";
    String existing = ip("route", "show", internalNetwork()).output().trim();
    if (!existing.isEmpty()) {
      throw new IllegalStateException(
          internalNetwork()
              + " is already routed in the root namespace ("
              + existing
              + "); another topology uses network "
              + network
              + ", so pick another number");
    }
    ipOk("netns", "add", gw);
    ipOk("link", "add", uplink, "type", "veth", "peer", "name", "up0", "netns", gw);
    ipOk("addr", "add", rootAddress() + "/30", "dev", uplink);
    ipOk("link", "set", uplink, "up");
    ipOk("-n", gw, "link", "set", "lo", "up");
    ipOk("-n", gw, "addr", "add", "10.232." + network + ".2/30", "dev", "up0");
    ipOk("-n", gw, "link", "set", "up0", "up");
    ipOk("-n", gw, "link", "add", "br0", "type", "bridge");
    ipOk("-n", gw, "addr", "add", gatewayAddress() + "/24", "dev", "br0");
    ipOk("-n", gw, "link", "set", "br0", "up");
    ok(
        List.of(
            ipPath(), "netns", "exec", gw, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"));
    Path rules = workDir.resolve("gateway.nft");
    write(
        rules,
        "table ip berth_nat {\n"
            + "  chain postrouting {\n"
            + "    type nat hook postrouting priority srcnat; policy accept;\n"
            + "    ip saddr "
            + internalNetwork()
            + " oifname \"up0\" masquerade\n"
            + "  }\n"
            + "}\n");
    ok(
        List.of(
            ipPath(),
            "netns",
            "exec",
            gw,
            RequiredProgram.NFT.path().toString(),
            "-f",
            rules.toString()));
    ipOk("route", "add", internalNetwork(), "via", "10.232." + network + ".2", "dev", uplink);
  }

  private static void removeLeftovers(String prefix) {
    for (String namespace : namespaces()) {
      if (namespace.startsWith(prefix + "-") && !namespace.equals(prefix + "-gw")) {
        stopNamespaceProcesses(namespace);
        ip("netns", "delete", namespace);
      }
    }
    removeNamespaceAndUplink(prefix);
  }

  /** Stops the gateway's processes, deletes the uplink (and with it the root route) and gw. */
  private static void removeNamespaceAndUplink(String prefix) {
    String gw = prefix + "-gw";
    String uplink = prefix + "-up";
    if (ip("link", "show", "dev", uplink).exit() == 0) {
      // Deleting the veth is synchronous and takes the route with it; deleting a namespace
      // removes its interfaces only later, in the background.
      ipOk("link", "delete", uplink);
    }
    if (namespaces().contains(gw)) {
      stopNamespaceProcesses(gw);
      ipOk("netns", "delete", gw);
    }
  }

  private static List<String> namespaces() {
    return ipOk("netns", "list")
        .lines()
        .map(String::trim)
        .filter(line -> !line.isEmpty())
        .map(line -> line.split("\\s+")[0])
        .toList();
  }

  /** Stops every process in a namespace, including daemons that left their parent. */
  private static void stopNamespaceProcesses(String namespace) {
    Result pids = ip("netns", "pids", namespace);
    if (pids.exit() != 0) {
      return;
    }
    List<ProcessHandle> processes =
        pids.output()
            .lines()
            .map(String::trim)
            .filter(line -> line.matches("\\d+"))
            .map(Long::parseLong)
            .flatMap(pid -> ProcessHandle.of(pid).stream())
            .toList();
    stop(processes);
  }

  private static void stop(List<ProcessHandle> processes) {
    List<ProcessHandle> all = new ArrayList<>();
    for (ProcessHandle process : processes) {
      process.descendants().forEach(all::add);
      all.add(process);
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (ProcessHandle process : all) {
      long left = deadline - System.nanoTime();
      try {
        process.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
      } catch (Exception stillRunning) {
        process.destroyForcibly();
      }
    }
  }

  /** A guest: a network namespace on the internal bridge, with the processes started in it. */
  public final class Guest {
    private final String name;
    private final String address;
    private final List<Process> processes = new ArrayList<>();
    private boolean removed;

    private Guest(String name, String address) {
      this.name = name;
      this.address = address;
    }

    /** The name given to {@link #addGuest}. */
    public String name() {
      return name;
    }

    /** The guest's network namespace, {@code <prefix>-<name>}, for {@code ip netns exec}. */
    public String namespace() {
      return prefix + "-" + name;
    }

    /** The guest's address on the internal network. */
    public String address() {
      return address;
    }

    /** Where the output (stdout and stderr) of every process started in the guest goes. */
    public Path log() {
      return workDir.resolve(name + ".log");
    }

    private String veth() {
      return "v-" + name;
    }

    private void build() {
      String gw = gatewayNamespace();
      ipOk("netns", "add", namespace());
      ipOk(
          "-n",
          gw,
          "link",
          "add",
          veth(),
          "type",
          "veth",
          "peer",
          "name",
          "eth0",
          "netns",
          namespace());
      ipOk("-n", gw, "link", "set", veth(), "master", "br0");
      ipOk("-n", gw, "link", "set", veth(), "up");
      ipOk("-n", namespace(), "link", "set", "lo", "up");
      ipOk("-n", namespace(), "addr", "add", address + "/24", "dev", "eth0");
      ipOk("-n", namespace(), "link", "set", "eth0", "up");
      ipOk("-n", namespace(), "route", "add", "default", "via", gatewayAddress());
    }

    /**
     * Serves {@code body} and a line break with status 200 for every path on {@code port}, from a
     * throwaway nginx inside the guest, and returns once the port accepts connections from the root
     * namespace.
     *
     * @param body letters, digits, spaces and {@code . _ , : / + = -}, at most 200 characters
     */
    public Process serveHttp(int port, String body) {
      Path nginx = RequiredProgram.NGINX.require();
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be from 1 to 65535");
      }
      if (body == null || !BODY.matcher(body).matches()) {
        throw new IllegalArgumentException(
            "body must be 1 to 200 letters, digits, spaces and . _ , : / + = -");
      }
      Path dir = workDir.resolve(name + "-http-" + port);
      try {
        Files.createDirectories(dir.resolve("temp"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String temp = dir.resolve("temp").toString();
      write(
          dir.resolve("nginx.conf"),
          String.join(
              "\n",
              "daemon off;",
              "master_process off;",
              "pid " + dir.resolve("nginx.pid") + ";",
              "error_log stderr warn;",
              "events { worker_connections 64; }",
              "http {",
              "  access_log off;",
              "  client_body_temp_path " + temp + ";",
              "  proxy_temp_path " + temp + ";",
              "  fastcgi_temp_path " + temp + ";",
              "  uwsgi_temp_path " + temp + ";",
              "  scgi_temp_path " + temp + ";",
              "  server {",
              "    listen " + port + ";",
              "    default_type text/plain;",
              "    location / { return 200 \"" + body + "\\n\"; }",
              "  }",
              "}",
              ""));
      Process server =
          exec(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString());
      awaitListening(port, server);
      return server;
    }

    private void awaitListening(int port, Process server) {
      long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
      while (true) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(address, port), 250);
          return;
        } catch (IOException notYet) {
          if (!server.isAlive()) {
            throw new IllegalStateException(
                "the HTTP server in guest "
                    + name
                    + " exited with "
                    + server.exitValue()
                    + ":\n"
                    + readLog());
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                address
                    + ":"
                    + port
                    + " in guest "
                    + name
                    + " does not accept connections after "
                    + LISTEN_TIMEOUT.toSeconds()
                    + " s:\n"
                    + readLog());
          }
          sleep(50);
        }
      }
    }

    /**
     * Starts {@code argv} inside the guest's namespace (through {@code ip netns exec}), its output
     * appended to {@link #log()}. The process is stopped by {@link #remove()} and {@link
     * NatTopology#close()}, with every process it forked.
     */
    public Process exec(String... argv) {
      synchronized (NatTopology.this) {
        requireOpen();
        if (removed) {
          throw new IllegalStateException("guest " + name + " was removed");
        }
        List<String> command = new ArrayList<>(List.of(ipPath(), "netns", "exec", namespace()));
        command.addAll(Arrays.asList(argv));
        try {
          Process process =
              new ProcessBuilder(command)
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                  .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                  .start();
          processes.add(process);
          return process;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot start " + argv[0] + " in guest " + name, e);
        }
      }
    }

    /**
     * Runs {@code argv} inside the guest to completion (at most 30 s) and returns its output
     * (stdout and stderr).
     *
     * @throws IllegalStateException if it exits with a status other than 0
     */
    public String run(String... argv) {
      List<String> command = new ArrayList<>(List.of(ipPath(), "netns", "exec", namespace()));
      command.addAll(Arrays.asList(argv));
      return ok(command);
    }

    /** What the guest's processes wrote so far. */
    public String readLog() {
      try {
        return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        return "(cannot read " + log() + ": " + e.getMessage() + ")";
      }
    }

    /**
     * Stops the guest's processes (TERM, then KILL after 3 s) and deletes its namespace and veth
     * pair. Calling it again does nothing.
     */
    public void remove() {
      synchronized (NatTopology.this) {
        if (removed) {
          return;
        }
        removed = true;
        guests.remove(name);
        stop(processes.stream().map(Process::toHandle).toList());
        stopNamespaceProcesses(namespace());
        for (Process process : processes) {
          try {
            process.waitFor(1, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        processes.clear();
        // Deleting the bridge side of the veth is synchronous; a namespace's interfaces go
        // only later, which would make a guest of the same name clash for a moment.
        if (ip("-n", gatewayNamespace(), "link", "show", "dev", veth()).exit() == 0) {
          ipOk("-n", gatewayNamespace(), "link", "delete", veth());
        }
        if (namespaces().contains(namespace())) {
          ipOk("netns", "delete", namespace());
        }
      }
    }

    @Override
    public String toString() {
      return "guest " + name + " (" + address + " in " + namespace() + ")";
    }
  }

  private record Result(int exit, String output) {}

  private static String ipPath() {
    return RequiredProgram.IP.path().toString();
  }

  private static Result ip(String... args) {
    List<String> command = new ArrayList<>(List.of(ipPath()));
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  private static String ipOk(String... args) {
    List<String> command = new ArrayList<>(List.of(ipPath()));
    command.addAll(Arrays.asList(args));
    return ok(command);
  }

  private static String ok(List<String> command) {
    Result result = run(command);
    if (result.exit() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (" + result.exit() + "): " + result.output().trim());
    }
    return result.output();
  }

  private static Result run(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in time");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
