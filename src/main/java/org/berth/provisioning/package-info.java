/**
 * The provisioning engine: it turns approved requests into guests on the hypervisor and removes
 * them again. Each request's work is a persistent job in PostgreSQL (db-scheduler), so several
 * Berth instances share it and none runs twice; each step is recorded before and after it runs, and
 * is safe to repeat, so a job interrupted by a crash resumes where it stopped: the guest's VMID is
 * recorded before the hypervisor is asked to create it, and a guest found under that VMID carrying
 * the request's mark is adopted, never created twice.
 *
 * <p>Nothing here calls the hypervisor inside a database transaction. Requests reach this package
 * only through {@link org.berth.requests.boundary.RequestChanged} events; this package moves
 * requests only through {@link org.berth.requests.boundary.RequestStore}.
 */
package org.berth.provisioning;
