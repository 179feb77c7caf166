package org.berth.hypervisor.simulator;

import java.util.List;
import java.util.Map;

/**
 * A guest of the simulated cluster as it is at one moment.
 *
 * @param type {@code qemu} or {@code lxc}
 * @param status {@code running} or {@code stopped}
 * @param lock the config lock, such as {@code clone} or {@code create}; null when unlocked
 * @param config the guest's configuration as stored, values as Proxmox writes them
 */
public record SimulatedGuest(
    int vmid,
    String node,
    String type,
    String name,
    String status,
    String lock,
    List<String> tags,
    boolean template,
    Map<String, String> config) {}
