/**
 * The libvirt adapter: VMs as QEMU domains (KVM where the node has it, software emulation where it
 * has not) on a qcow2 overlay of a template volume or a full copy of it, and containers as libvirt
 * LXC domains on a copy of the template's root file system. Each guest gets a cloud-init NoCloud
 * seed (an ext4 image labelled {@code cidata}, a disk of a VM and a read-only mount of a container)
 * with its user, SSH keys, host name and static address. Berth speaks to libvirt through {@code
 * virsh}, one process per call, with the node's connection URI; volumes live in one storage pool
 * per node, so a remote node ({@code qemu+ssh://}) works as a local one does.
 */
package org.berth.hypervisor.libvirt;
