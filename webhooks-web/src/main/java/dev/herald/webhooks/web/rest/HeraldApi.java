package dev.herald.webhooks.web.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API at {@code /api}; resources and providers are discovered by CDI. */
@ApplicationPath("/api")
public class HeraldApi extends Application {}
