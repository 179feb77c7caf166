package org.berth.hypervisor.simulator;

import java.util.Map;

/**
 * One request the simulated Proxmox API received.
 *
 * @param method the HTTP method
 * @param path the path after {@code /api2/json}, decoded
 * @param parameters the query and form parameters, decoded
 * @param status the HTTP status answered; 0 when the connection was closed without an answer
 */
public record JournalEntry(
    String method, String path, Map<String, String> parameters, int status) {}
