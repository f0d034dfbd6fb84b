package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.core.auth.PortalLinks;
import dev.herald.webhooks.spi.ApiKeyStore.PortalLinkInfo;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Portal links (DESIGN 16): a tenant's backend asks for a short-lived URL that opens the admin UI
 * on the tenant's endpoints, deliveries and dead letters, hands it to its user's browser (or puts
 * it in an iframe), and can revoke it. Minting, listing and revoking need the tenant's API key; a
 * portal link itself can only read which link it is.
 */
@Path("v1/portal-links")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PortalLinksResource {
  @Inject HeraldRuntime runtime;
  @Inject HeraldConfiguration configuration;
  @Context SecurityContext security;
  @Context UriInfo uri;

  /** A link as issued: its URL, holding the token, is shown once. */
  public record IssuedLink(String id, String url, Instant createdAt, Instant expiresAt) {}

  /** A link as listed: never its URL. */
  public record LinkView(String id, String tenantId, Instant createdAt, Instant expiresAt) {
    static LinkView of(PortalLinkInfo info) {
      return new LinkView(info.id(), info.tenantId(), info.createdAt(), info.expiresAt());
    }
  }

  /** The tenant's live links. */
  public record Links(List<LinkView> items) {}

  /** Body {@code {"ttl": "15m"}}, from 10s to 24h; {@code {}} for 15 minutes. */
  @POST
  public Response create(JsonBody body) {
    String tenant = Caller.of(security).requireTenantKey();
    Duration ttl = PortalLinks.DEFAULT_TTL;
    if (body != null) {
      body.allowOnly(Set.of("ttl"));
      ttl = body.duration("ttl", PortalLinks.MAX_TTL).orElse(ttl);
      if (ttl.compareTo(PortalLinks.MIN_TTL) < 0) {
        throw body.invalid("ttl", "ttl must be a duration from 10s to 24h, such as 15m or 1h");
      }
    }
    PortalLinks.Issued issued;
    try {
      issued = links().issue(tenant, ttl);
    } catch (PortalLinks.TooManyLinksException e) {
      throw new Problem.Failure(
          Problem.of(409, "too-many-portal-links", "Too many portal links", e.getMessage()));
    }
    PortalLinkInfo info = issued.info();
    URI url =
        linkUrl(
            configuration.settings().flatMap(s -> s.publicUrl()), uri.getBaseUri(), issued.token());
    return Response.created(uri.getAbsolutePathBuilder().path(info.id()).build())
        .entity(new IssuedLink(info.id(), url.toString(), info.createdAt(), info.expiresAt()))
        .build();
  }

  @GET
  public Links list() {
    String tenant = Caller.of(security).requireTenantKey();
    return new Links(links().linksOf(tenant).stream().map(LinkView::of).toList());
  }

  /** The link a portal session runs on: its tenant and expiry, for the admin UI to show. */
  @GET
  @Path("current")
  public LinkView current(@Context HttpHeaders headers) {
    Caller caller = Caller.of(security);
    if (!caller.portal()) {
      throw Problem.notFound("a current portal link (this request carries an API key)");
    }
    String token = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
    return links()
        .authenticate(token.substring(7).strip())
        .map(LinkView::of)
        .orElseThrow(() -> Problem.notFound("the portal link"));
  }

  /** Revokes the link: every request made with it fails from now on. */
  @DELETE
  @Path("{id}")
  public Response revoke(@PathParam("id") String id) {
    String tenant = Caller.of(security).requireTenantKey();
    if (!links().revoke(tenant, id)) {
      throw Problem.notFound("portal link " + id);
    }
    return Response.noContent().build();
  }

  /**
   * The link's URL: the admin UI as the portal, under {@code HERALD_PUBLIC_URL} when it is set
   * (browsers may not reach the address the minting backend used), else beside the API this request
   * came to. The token goes in the fragment, which browsers never send to a server.
   *
   * @param apiBase the API's base, {@code http://host:port/context/api/}
   */
  static URI linkUrl(Optional<URI> publicUrl, URI apiBase, String token) {
    return publicUrl
        .orElseGet(() -> apiBase.resolve("../"))
        .resolve("admin/?portal#token=" + token);
  }

  private PortalLinks links() {
    return runtime
        .portalLinks()
        .orElseThrow(() -> new IllegalStateException(runtime.notRunningReason()));
  }
}
