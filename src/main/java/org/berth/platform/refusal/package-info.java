/**
 * Refusals: what the domain says when it will not do what was asked, as a {@link
 * org.berth.platform.refusal.Refusal.Kind kind} (invalid, forbidden, not found, conflict,
 * unavailable) and a stable code, without HTTP. Only the edges turn kinds into answers: the REST
 * API's {@code ApiExceptionMapper} into statuses, the pages into messages beside fields.
 */
package org.berth.platform.refusal;
