package org.berth.requests.boundary;

import java.time.Instant;
import org.berth.requests.entity.RequestState;

/**
 * A request has moved to {@code state}. Fired synchronously inside the transaction that moved it,
 * so observers that schedule work (provisioning, deprovisioning) commit or roll back with it.
 *
 * @param from the state it moved from (null for a change that is no move)
 * @param actor who moved it ({@code berth} for Berth itself)
 * @param approvedAt when it was last approved; null when it never was
 */
public record RequestChanged(
    long id, RequestState state, RequestState from, String actor, Instant approvedAt) {}
