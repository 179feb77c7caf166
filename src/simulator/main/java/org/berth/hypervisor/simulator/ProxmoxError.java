package org.berth.hypervisor.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A refusal the simulated API answers the way Proxmox does: a status, a message, field errors. */
final class ProxmoxError extends RuntimeException {

  private final int status;
  private final Map<String, String> errors;

  private ProxmoxError(int status, String message, Map<String, String> errors) {
    super(message, null, false, false);
    this.status = status;
    this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
  }

  /** What Proxmox answers when a handler dies: 500 with the message. */
  static ProxmoxError failed(String message) {
    return new ProxmoxError(500, message, Map.of());
  }

  /** Any other refusal: {@code status} with {@code message}, such as 401 or 403. */
  static ProxmoxError status(int status, String message) {
    return new ProxmoxError(status, message, Map.of());
  }

  static ProxmoxError parameters(Map<String, String> errors) {
    return new ProxmoxError(400, "Parameter verification failed.", errors);
  }

  static ProxmoxError parameter(String name, String problem) {
    return parameters(Map.of(name, problem));
  }

  /** What the proxy answers when the node that should handle a request does not answer. */
  static ProxmoxError unreachable() {
    return new ProxmoxError(595, "no route to host", Map.of());
  }

  static ProxmoxError notImplemented(String method, String path) {
    return new ProxmoxError(
        501,
        "Method '" + method + " " + path + "' not implemented by the simulated cluster",
        Map.of());
  }

  int status() {
    return status;
  }

  Map<String, String> errors() {
    return errors;
  }
}
