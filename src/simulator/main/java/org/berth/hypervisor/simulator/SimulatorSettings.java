package org.berth.hypervisor.simulator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link SimulatedProxmox} listens and whom it lets in.
 *
 * @param bindAddress a loopback address: the control API has no authentication
 * @param port the port; 0 picks a free one
 * @param tokenId the API token the cluster accepts, as {@code user@realm!name}
 * @param tokenSecret the token's secret; never logged
 * @param taskDuration how long each asynchronous task runs
 * @param keystore a PKCS12 keystore with the server's key and certificate; null serves plain HTTP
 * @param keystorePassword the keystore's password; never logged
 * @param consoleUser the one user who may sign in with a password ({@code POST /access/ticket}), as
 *     {@code user@realm}, and who may only open terminals; null lets nobody sign in
 * @param consolePassword that user's password; never logged
 */
public record SimulatorSettings(
    String bindAddress,
    int port,
    String tokenId,
    String tokenSecret,
    Duration taskDuration,
    Path keystore,
    String keystorePassword,
    String consoleUser,
    String consolePassword) {

  private static final Pattern TOKEN_ID = Pattern.compile("[^\\s@!=]+@[^\\s@!=]+![^\\s@!=]+");
  private static final Pattern USER = Pattern.compile("[^\\s@!=:]+@[^\\s@!=:]+");

  public SimulatorSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    try {
      if (!InetAddress.getByName(bindAddress).isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "bindAddress must be a loopback address: the simulator's control API has no"
                + " authentication");
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bindAddress '" + bindAddress + "' does not resolve");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    if (tokenId == null || !TOKEN_ID.matcher(tokenId).matches()) {
      throw new IllegalArgumentException("tokenId must look like user@realm!name");
    }
    if (tokenSecret == null || tokenSecret.isBlank()) {
      throw new IllegalArgumentException("tokenSecret must not be empty");
    }
    Objects.requireNonNull(taskDuration, "taskDuration");
    if (taskDuration.isNegative()) {
      throw new IllegalArgumentException("taskDuration must not be negative");
    }
    if ((keystore == null) != (keystorePassword == null)) {
      throw new IllegalArgumentException("keystore and keystorePassword go together");
    }
    if ((consoleUser == null) != (consolePassword == null)) {
      throw new IllegalArgumentException("consoleUser and consolePassword go together");
    }
    if (consoleUser != null && !USER.matcher(consoleUser).matches()) {
      throw new IllegalArgumentException("consoleUser must look like user@realm");
    }
    if (consolePassword != null && consolePassword.isEmpty()) {
      throw new IllegalArgumentException("consolePassword must not be empty");
    }
  }

  /**
   * Loopback, a free port, token {@code berth@pve!berth} with a fixed secret, 1 s tasks, HTTP, and
   * nobody who signs in with a password.
   */
  public static SimulatorSettings defaults() {
    return new SimulatorSettings(
        "127.0.0.1",
        0,
        "berth@pve!berth",
        "00000000-0000-4000-8000-00000000beef",
        Duration.ofSeconds(1),
        null,
        null,
        null,
        null);
  }

  public SimulatorSettings withPort(int port) {
    return new SimulatorSettings(
        bindAddress,
        port,
        tokenId,
        tokenSecret,
        taskDuration,
        keystore,
        keystorePassword,
        consoleUser,
        consolePassword);
  }

  public SimulatorSettings withToken(String tokenId, String tokenSecret) {
    return new SimulatorSettings(
        bindAddress,
        port,
        tokenId,
        tokenSecret,
        taskDuration,
        keystore,
        keystorePassword,
        consoleUser,
        consolePassword);
  }

  public SimulatorSettings withTaskDuration(Duration taskDuration) {
    return new SimulatorSettings(
        bindAddress,
        port,
        tokenId,
        tokenSecret,
        taskDuration,
        keystore,
        keystorePassword,
        consoleUser,
        consolePassword);
  }

  public SimulatorSettings withTls(Path keystore, String keystorePassword) {
    return new SimulatorSettings(
        bindAddress,
        port,
        tokenId,
        tokenSecret,
        taskDuration,
        keystore,
        keystorePassword,
        consoleUser,
        consolePassword);
  }

  /** With a user who signs in with {@code password} and may only open terminals. */
  public SimulatorSettings withConsoleUser(String user, String password) {
    return new SimulatorSettings(
        bindAddress,
        port,
        tokenId,
        tokenSecret,
        taskDuration,
        keystore,
        keystorePassword,
        user,
        password);
  }

  /** Whether the cluster serves HTTPS. */
  public boolean tls() {
    return keystore != null;
  }

  /** The {@code Authorization} header value a client sends with this token. */
  public String authorization() {
    return "PVEAPIToken=" + tokenId + "=" + tokenSecret;
  }

  @Override
  public String toString() {
    return "SimulatorSettings[bindAddress="
        + bindAddress
        + ", port="
        + port
        + ", tokenId="
        + tokenId
        + ", taskDuration="
        + taskDuration
        + ", keystore="
        + keystore
        + ", consoleUser="
        + consoleUser
        + "]";
  }
}
