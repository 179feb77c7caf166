/**
 * The Proxmox VE adapter: a plain HTTP client of the Proxmox REST API ({@code /api2/json}) with
 * API-token authentication, TLS trusting a configured CA or a pinned certificate fingerprint, and
 * connect, read and task timeouts. Asynchronous calls return a task (UPID) that is polled until it
 * stops; an exit status other than {@code OK} is the failure's reason.
 */
package org.berth.hypervisor.proxmox;
