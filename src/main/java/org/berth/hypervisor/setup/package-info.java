/**
 * Which hypervisor this instance uses: {@link org.berth.hypervisor.setup.Hypervisors} reads the
 * settings, starts the simulated cluster where {@code Mode} allows it, connects the adapter and
 * produces the {@link org.berth.hypervisor.Hypervisor} every feature injects. It sits above the
 * port and its adapters, so that the port knows no adapter.
 */
package org.berth.hypervisor.setup;
