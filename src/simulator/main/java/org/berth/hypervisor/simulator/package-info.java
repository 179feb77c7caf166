/**
 * A simulated Proxmox VE cluster, not a real hypervisor: it creates no VMs or containers, only
 * records of them. It is its own Maven module ({@code berth-simulator}), never in Berth's WAR: the
 * one-command demo puts its jar on Payara Micro's class path so that Berth has a cluster to talk
 * to, tests run it in their own JVM, and {@link org.berth.hypervisor.simulator.Main} runs it on its
 * own ({@code java -jar berth-simulator.jar --port 8006}). {@link
 * org.berth.hypervisor.simulator.SimulatedProxmox} starts one from {@link
 * org.berth.hypervisor.simulator.SimulatorSettings}. It needs only the JDK and its JSON library,
 * which the jar carries below {@code org.berth.hypervisor.simulator.internal}.
 *
 * <p>It speaks the subset of the Proxmox VE API under {@code /api2/json} that Berth's Proxmox
 * adapter uses (version, cluster resources, nodes, VM clone, config, status and delete, container
 * create, config, status and delete, snapshots, task status, and terminals: password sign-in,
 * {@code termproxy} and the {@code vncwebsocket} WebSocket on the same port, with a fake terminal)
 * with Proxmox's token and ticket authentication, parameter checks, error shapes and asynchronous
 * tasks that end after a set time. It starts as three nodes ({@code sim1} to {@code sim3}), two VM
 * templates and three container templates, and says it is simulated wherever it shows itself
 * ({@code repoid} "simulated", its log line, its messages).
 *
 * <p>Tests steer it through the same object or through the control API under {@code /simulator}:
 * faults on chosen requests ({@link org.berth.hypervisor.simulator.Fault}), nodes that stop
 * answering, guests that are not Berth's, the task duration, a journal of every request, and a
 * reset. The control API has no authentication, so the server only binds a loopback address and is
 * only for the demo and tests.
 */
package org.berth.hypervisor.simulator;
