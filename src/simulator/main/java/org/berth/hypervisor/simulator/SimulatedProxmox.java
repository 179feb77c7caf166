package org.berth.hypervisor.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A simulated Proxmox VE cluster, not a real hypervisor: an HTTP server on loopback that speaks the
 * part of the Proxmox VE API Berth uses, keeps guests in memory, runs tasks that take time, and
 * fails on demand. The demo runs it inside Payara and tests run it in their own JVM.
 *
 * <p>The methods here mirror the control API under {@code /simulator}.
 */
public final class SimulatedProxmox implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SimulatedProxmox.class.getName());
  private static final int THREADS = 32;

  private final HttpServer server;
  private final FrontDoor door;
  private final Terminals terminals;
  private final ExecutorService executor;
  private final Cluster cluster;
  private final ConsoleAccess access;
  private final URI url;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private SimulatedProxmox(
      HttpServer server,
      FrontDoor door,
      Terminals terminals,
      ExecutorService executor,
      Cluster cluster,
      ConsoleAccess access,
      URI url) {
    this.access = access;
    this.server = server;
    this.door = door;
    this.terminals = terminals;
    this.executor = executor;
    this.cluster = cluster;
    this.url = url;
  }

  /**
   * Starts a cluster in its initial state and listens until {@link #stop()}. The API is served by
   * the JDK's HTTP server on a free loopback port behind a {@link FrontDoor}, which listens where
   * the settings say and serves the terminals' WebSockets itself.
   */
  public static SimulatedProxmox start(SimulatorSettings settings) {
    Cluster cluster = new Cluster(settings.tokenId(), settings.taskDuration());
    ConsoleAccess access = new ConsoleAccess(settings.consoleUser(), settings.consolePassword());
    ServerSocket listener = null;
    HttpServer server;
    try {
      InetAddress bind = InetAddress.getByName(settings.bindAddress());
      listener =
          settings.tls()
              ? sslContext(settings).getServerSocketFactory().createServerSocket()
              : new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(bind, settings.port()), 128);
      server = HttpServer.create(new InetSocketAddress(bind, 0), 0);
    } catch (IOException e) {
      if (listener != null) {
        try {
          listener.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      throw new UncheckedIOException(
          "cannot listen on " + settings.bindAddress() + ":" + settings.port(), e);
    }
    AtomicInteger count = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            task -> {
              Thread thread = new Thread(task, "simulated-proxmox-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext(ProxmoxApi.PREFIX, new ProxmoxApi(cluster, access, settings));
    server.createContext(ControlApi.PREFIX, new ControlApi(cluster));
    server.start();
    Terminals terminals = new Terminals(cluster, access, settings);
    FrontDoor door = new FrontDoor(listener, server.getAddress(), terminals);
    door.start();
    String host = listener.getInetAddress().getHostAddress();
    URI url =
        URI.create(
            (settings.tls() ? "https" : "http")
                + "://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + door.port());
    LOG.log(
        Level.INFO, "Simulated Proxmox VE cluster (not a real hypervisor) listening on {0}", url);
    return new SimulatedProxmox(server, door, terminals, executor, cluster, access, url);
  }

  private static SSLContext sslContext(SimulatorSettings settings) {
    char[] password = settings.keystorePassword().toCharArray();
    try (InputStream in = Files.newInputStream(settings.keystore())) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, password);
      KeyManagerFactory managers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      managers.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(managers.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read keystore " + settings.keystore(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot use keystore " + settings.keystore(), e);
    }
  }

  /** The port the cluster listens on. */
  public int port() {
    return door.port();
  }

  /** The base address, such as {@code http://127.0.0.1:1234}; the API is under /api2/json. */
  public URI url() {
    return url;
  }

  /** Stops listening; requests in flight are cut off. Stopping twice does nothing. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    door.close();
    terminals.stop();
    server.stop(0);
    executor.shutdownNow();
    LOG.log(Level.INFO, "Simulated Proxmox VE cluster on {0} stopped", url);
  }

  @Override
  public void close() {
    stop();
  }

  /** Arms a fault for the next matching API requests. */
  public void inject(Fault fault) {
    cluster.inject(fault);
  }

  /**
   * Makes every password sign-in's ticket invalid, as a renewal of Proxmox's ticket key can: the
   * console user must sign in again.
   */
  public void expireSignIns() {
    access.forgetSignIns();
  }

  /** Disarms all faults. */
  public void clearFaults() {
    cluster.clearFaults();
  }

  /**
   * Makes a node unreachable: requests for it answer 595, and it and its guests show as offline and
   * unknown. Its guests keep their state for when it comes back.
   */
  public void nodeDown(String node) {
    cluster.setOnline(node, false);
  }

  public void nodeUp(String node) {
    cluster.setOnline(node, true);
  }

  /** How long tasks started from now on run. */
  public void taskDuration(Duration duration) {
    cluster.taskDuration(duration);
  }

  /** Adds a stopped guest Berth did not create, of type {@code qemu} or {@code lxc}. */
  public SimulatedGuest addForeignGuest(int vmid, String node, String type, String name) {
    return cluster.addForeignGuest(vmid, node, type, name);
  }

  /**
   * Locks a guest as a task outside Berth would ({@code backup}, {@code migrate}), or unlocks it
   * with null: Proxmox then refuses changes to it until the lock is gone.
   */
  public void lock(int vmid, String lock) {
    if (!cluster.setLock(vmid, lock)) {
      throw new IllegalArgumentException("there is no guest " + vmid);
    }
  }

  /** All guests, templates included, after every task due by now has ended. */
  public List<SimulatedGuest> guests() {
    return cluster.guests();
  }

  /** Every API request received since the start or the last clear, oldest first. */
  public List<JournalEntry> journal() {
    return cluster.journal();
  }

  public void clearJournal() {
    cluster.clearJournal();
  }

  /** Back to the initial state: three nodes online, the two templates, no faults, no journal. */
  public void reset() {
    cluster.reset();
  }
}
