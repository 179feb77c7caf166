/**
 * The hypervisor port: what Berth asks of a cluster (create a VM from a template or a container
 * from an OS template, power actions, delete, status, the guests Berth created, node capacity), and
 * its adapters. {@code proxmox} is the Proxmox VE adapter; {@code simulator} is a simulated Proxmox
 * VE cluster for the demo and the tests, spoken to through the same adapter; it is a module of its
 * own, outside the WAR, started by {@code setup.SimulatedCluster} when its jar is on the class
 * path.
 *
 * <p>Every call is blocking and may take as long as the hypervisor's task takes; callers run them
 * from jobs, never inside a database transaction. Failures are {@link
 * org.berth.hypervisor.HypervisorFailure}s that say whether trying again may help, with a reason
 * fit to show to the guest's owner (never a credential).
 */
package org.berth.hypervisor;
