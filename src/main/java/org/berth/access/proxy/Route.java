package org.berth.access.proxy;

import java.util.regex.Pattern;

/**
 * One reverse-proxy route: requests for {@code host} go to {@code address:port} on the internal
 * network. The constructor is the only gate to the proxy writers, so it refuses anything but a
 * lower-case DNS name, a dotted IPv4 address and a port: no spaces, quotes, semicolons, braces or
 * line breaks can reach a configuration file or the Caddy API.
 *
 * @param requestId the request whose guest this route serves; the route's identity
 * @param host the public name, such as {@code web.guests.example.org}
 * @param address the guest's internal IPv4 address
 * @param port the guest's HTTP port
 */
public record Route(long requestId, String host, String address, int port) {

  private static final Pattern HOST =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  public Route {
    if (requestId < 1) {
      throw new InvalidRoute("requestId", "must be a positive number");
    }
    if (host == null || !HOST.matcher(host).matches()) {
      throw new InvalidRoute(
          "host",
          "must be a lower-case DNS name of at least two labels (letters, digits and inner"
              + " hyphens, at most 63 characters each, 253 in all)");
    }
    if (address == null || !IPV4.matcher(address).matches()) {
      throw new InvalidRoute("address", "must be an IPv4 address such as 10.77.0.5");
    }
    if (port < 1 || port > 65535) {
      throw new InvalidRoute("port", "must be from 1 to 65535");
    }
  }

  /** The route's identity in the proxy: {@code berth-<request id>}. */
  public String id() {
    return idOf(requestId);
  }

  /** {@code address:port}, as the proxy dials it. */
  public String upstream() {
    return address + ":" + port;
  }

  /** The route id of a request's guest. */
  public static String idOf(long requestId) {
    return "berth-" + requestId;
  }
}
