/**
 * Guest requests from submission to deletion: templates, validation, the state machine and its
 * audit trail, quotas, approval (by admins or by the auto-approve policy) and leases.
 *
 * <p>Invariants: a request changes state only through the verbs of {@link
 * org.berth.requests.entity.GuestRequest}, each of which writes an audit event; a live request's
 * name is unique; a ledger entry is held by at most one request until its release commit lands; a
 * refused submission stores nothing and claims nothing. Git and mail are never reached inside a
 * database transaction: claims happen before the request is stored, releases and mail run as jobs.
 *
 * <p>Callers: the REST resources and Faces beans go through {@link
 * org.berth.requests.boundary.Requests}, {@link org.berth.requests.boundary.Templates} and {@link
 * org.berth.requests.boundary.Quotas}; provisioning uses the entity's verbs through {@code
 * Requests}.
 */
package org.berth.requests;
