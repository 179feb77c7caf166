package org.berth.platform.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The REST API under {@code /api}. Every resource requires a signed-in caller unless it says
 * otherwise; every error is an {@link ApiError}.
 */
@ApplicationPath("api")
public class BerthApi extends Application {}
