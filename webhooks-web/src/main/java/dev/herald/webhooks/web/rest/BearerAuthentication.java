package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.core.auth.ApiKeys;
import dev.herald.webhooks.core.auth.PortalLinks;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <key>} on every API request: the operator key from {@code
 * HERALD_ADMIN_API_KEY}, a tenant's API key, or the token of a tenant's portal link, which reaches
 * only the routes of {@link PortalScope}. The event-type catalog is public: it describes the wire
 * format and holds no tenant data.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthentication implements ContainerRequestFilter {
  @Inject HeraldConfiguration configuration;
  @Inject HeraldRuntime runtime;

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (path.startsWith("v1/event-types") || path.startsWith("/v1/event-types")) {
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      request.abortWith(unauthorized("send Authorization: Bearer <API key>"));
      return;
    }
    String presented = header.substring(7).strip();
    Optional<String> operatorKey = configuration.settings().flatMap(s -> s.adminApiKey());
    if (operatorKey.isPresent() && ApiKeys.matchesOperatorKey(presented, operatorKey.get())) {
      request.setSecurityContext(
          Caller.OPERATOR.asSecurityContext(request.getSecurityContext().isSecure()));
      return;
    }
    if (presented.startsWith(PortalLinks.PREFIX)) {
      authenticatePortal(request, presented);
      return;
    }
    Optional<String> tenant =
        runtime
            .apiKeys()
            .flatMap(keys -> keys.authenticate(presented))
            .map(info -> info.tenantId());
    if (tenant.isEmpty()) {
      request.abortWith(
          unauthorized("the API key is not valid (revoked, mistyped, or of another server)"));
      return;
    }
    request.setSecurityContext(
        new Caller(tenant.get()).asSecurityContext(request.getSecurityContext().isSecure()));
  }

  private void authenticatePortal(ContainerRequestContext request, String token) {
    Optional<String> tenant =
        runtime
            .portalLinks()
            .flatMap(links -> links.authenticate(token))
            .map(link -> link.tenantId());
    if (tenant.isEmpty()) {
      request.abortWith(unauthorized("the portal link has expired or was revoked"));
      return;
    }
    if (!PortalScope.allows(request.getMethod(), request.getUriInfo().getPath())) {
      request.abortWith(
          Problem.forbidden(
                  "a portal link reaches its tenant's endpoints, deliveries and dead letters only")
              .problem()
              .toResponse());
      return;
    }
    request.setSecurityContext(
        new Caller(tenant.get(), true).asSecurityContext(request.getSecurityContext().isSecure()));
  }

  private static jakarta.ws.rs.core.Response unauthorized(String detail) {
    return jakarta.ws.rs.core.Response.fromResponse(
            Problem.of(401, "unauthorized", "Unauthorized", detail).toResponse())
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }
}
