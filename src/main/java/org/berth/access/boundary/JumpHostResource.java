package org.berth.access.boundary;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.platform.rest.SharedSecret;

/**
 * {@code GET /api/jumphost/authorized-keys?user=…&fingerprint=…}: answers the jump host's {@code
 * AuthorizedKeysCommand} in {@code authorized_keys} format. Only the jump host may ask: it sends
 * {@code Authorization: Bearer <berth.jumphost.token>}; without that setting every call is refused.
 * The path is outside the container's sign-in (see {@code web.xml}).
 */
@Path("jumphost")
@RequestScoped
@PermitAll
public class JumpHostResource {

  private static final Logger LOG = Logger.getLogger(JumpHostResource.class.getName());
  private static final Duration WARNING_EVERY = Duration.ofMinutes(1);
  private static final AtomicLong lastWarning =
      new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

  @Inject JumpHostKeys keys;
  @Inject AccessSettings settings;
  @Inject AccessMetrics metrics;

  @GET
  @Path("authorized-keys")
  @Produces(MediaType.TEXT_PLAIN)
  public Response authorizedKeys(
      @HeaderParam("Authorization") String authorization,
      @QueryParam("user") String user,
      @QueryParam("fingerprint") String fingerprint) {
    requireToken(authorization);
    String lines = keys.authorizedKeys(user, fingerprint);
    metrics.keyLookup(!lines.isBlank());
    LOG.log(
        Level.FINE,
        "Jump host asked for {0} {1}: {2} key line(s)",
        new Object[] {user, fingerprint, lines.lines().count()});
    return Response.ok(lines, MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
        .header("Cache-Control", "no-store")
        .build();
  }

  private void requireToken(String authorization) {
    Optional<String> expected = settings.jumpHostToken();
    if (!SharedSecret.matches(SharedSecret.bearer(authorization), expected)) {
      metrics.keyLookupRefused();
      warn(
          expected.isEmpty()
              ? "Jump host key requests refused: berth.jumphost.token is not set"
              : "Jump host key request refused: wrong or missing token");
      throw new NotAuthorizedException("Bearer realm=\"Berth jump host\"");
    }
  }

  /** Refusals come from anyone who can reach Berth: at most one warning a minute. */
  private static void warn(String message) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last > WARNING_EVERY.toNanos() && lastWarning.compareAndSet(last, now)) {
      LOG.warning(message);
    } else {
      LOG.fine(message);
    }
  }
}
