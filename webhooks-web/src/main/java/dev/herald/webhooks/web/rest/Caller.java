package dev.herald.webhooks.web.rest;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * Who is calling: the operator, a tenant through one of its API keys, or a tenant's portal link.
 * Set by {@link BearerAuthentication} on every API request.
 *
 * @param tenantId the tenant of the key or link, or null for the operator
 * @param portal whether the caller holds a portal link rather than an API key: it reaches only the
 *     routes of {@link PortalScope}
 */
public record Caller(String tenantId, boolean portal) {
  static final Caller OPERATOR = new Caller(null);
  private static final String OPERATOR_ROLE = "operator";
  private static final String PORTAL_SCHEME = "Portal";

  /** A caller with an API key: the operator's (null tenant) or a tenant's. */
  public Caller(String tenantId) {
    this(tenantId, false);
  }

  public boolean isOperator() {
    return tenantId == null;
  }

  /** The caller that {@link BearerAuthentication} established for this request. */
  public static Caller of(SecurityContext security) {
    if (security == null || security.getUserPrincipal() == null) {
      throw new Problem.Failure(Problem.of(401, "unauthorized", "Unauthorized", "no API key"));
    }
    return security.isUserInRole(OPERATOR_ROLE)
        ? OPERATOR
        : new Caller(
            security.getUserPrincipal().getName(),
            PORTAL_SCHEME.equals(security.getAuthenticationScheme()));
  }

  /** This caller as the request's security context. */
  SecurityContext asSecurityContext(boolean secure) {
    Principal principal = () -> isOperator() ? OPERATOR_ROLE : tenantId;
    return new SecurityContext() {
      @Override
      public Principal getUserPrincipal() {
        return principal;
      }

      @Override
      public boolean isUserInRole(String role) {
        return isOperator() && OPERATOR_ROLE.equals(role);
      }

      @Override
      public boolean isSecure() {
        return secure;
      }

      @Override
      public String getAuthenticationScheme() {
        return portal ? PORTAL_SCHEME : "Bearer";
      }
    };
  }

  /** The calling tenant; operators are refused, since tenant data needs a tenant's key. */
  public String requireTenant() {
    if (isOperator()) {
      throw Problem.forbidden(
          "this route needs a tenant's API key; the operator key manages tenants");
    }
    return tenantId;
  }

  /** The calling tenant through one of its API keys; operators and portal links are refused. */
  public String requireTenantKey() {
    if (portal) {
      throw Problem.forbidden("this route needs the tenant's API key; a portal link cannot use it");
    }
    return requireTenant();
  }

  /** Only the operator passes. */
  public void requireOperator() {
    if (!isOperator()) {
      throw Problem.forbidden("this route needs the operator key");
    }
  }
}
