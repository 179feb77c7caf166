package org.berth.hypervisor.setup;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.platform.config.InvalidSetting;

/**
 * The simulated Proxmox VE cluster, started in this JVM from the simulator's jar, which the demo
 * and the tests put on Payara Micro's class path ({@code --addLibs berth-simulator.jar}). The WAR
 * holds no simulator class: this is the only class of the application that names one, and no CDI
 * bean refers to those types, so a production instance never loads them.
 */
final class SimulatedCluster implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SimulatedCluster.class.getName());

  private final SimulatedProxmox cluster;

  private SimulatedCluster(SimulatedProxmox cluster) {
    this.cluster = cluster;
  }

  /**
   * Starts the cluster on loopback at {@code port}, or on a free port when that one is taken, so
   * that the demo comes up anyway.
   *
   * @throws InvalidSetting naming {@code berth.hypervisor} when the simulator's jar is missing
   */
  static SimulatedCluster start(
      int port,
      String tokenId,
      String secret,
      String consoleUser,
      String consolePassword,
      Duration taskDuration) {
    try {
      return new SimulatedCluster(
          startOn(
              SimulatorSettings.defaults()
                  .withPort(port)
                  .withToken(tokenId, secret)
                  .withConsoleUser(consoleUser, consolePassword)
                  .withTaskDuration(taskDuration)));
    } catch (NoClassDefFoundError e) {
      throw new InvalidSetting(
          "berth.hypervisor",
          "is simulated, but the simulated cluster's jar is not on the class path (payara-micro"
              + " --addLibs berth-simulator.jar)");
    }
  }

  private static SimulatedProxmox startOn(SimulatorSettings settings) {
    try {
      return SimulatedProxmox.start(settings);
    } catch (UncheckedIOException e) {
      LOG.log(
          Level.WARNING,
          "The simulated Proxmox VE cluster cannot listen on port {0} ({1}); it takes a free"
              + " port instead",
          new Object[] {settings.port(), e.getMessage()});
      return SimulatedProxmox.start(settings.withPort(0));
    }
  }

  URI url() {
    return cluster.url();
  }

  @Override
  public void close() {
    cluster.stop();
  }
}
