package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.http.HeaderRules;
import dev.herald.webhooks.core.routing.SubscriptionFilter;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.core.signing.WebhookSigner;
import dev.herald.webhooks.core.ssrf.SsrfPolicy;
import dev.herald.webhooks.core.ssrf.SsrfViolationException;
import dev.herald.webhooks.core.time.DurationText;
import dev.herald.webhooks.spi.DeliveryOperations.EndpointStats;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointStore.EndpointChanges;
import dev.herald.webhooks.spi.Insights;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Page;
import dev.herald.webhooks.spi.SigningSecret;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.web.application.HeraldConfiguration;
import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's webhook endpoints. The secret is shown in full only when created or rotated; URLs are
 * checked by the SSRF policy when saved (and again at every delivery).
 */
@Path("v1/webhooks")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {
  private static final int MAX_REPLAY = 100_000;

  @Inject JpaStore store;
  @Inject HeraldConfiguration configuration;
  @Inject HeraldRuntime runtime;
  @Context SecurityContext security;

  /** {@code POST /api/v1/webhooks} body; {@code secret} lets a migrating receiver keep its own. */
  public record CreateWebhook(
      String url,
      List<String> eventTypes,
      String signatureProfile,
      String headerPrefix,
      String description,
      Map<String, String> customHeaders,
      Integer maxInFlight,
      String secret) {}

  /** {@code PATCH /api/v1/webhooks/{id}} body; absent fields stay as they are. */
  public record UpdateWebhook(
      String url,
      List<String> eventTypes,
      String description,
      Map<String, String> customHeaders,
      Integer maxInFlight,
      Boolean active) {}

  /** An endpoint as the API shows it; {@code secret} is masked except on creation and rotation. */
  public record WebhookView(
      String id,
      String url,
      List<String> eventTypes,
      String signatureProfile,
      String headerPrefix,
      String description,
      Map<String, String> customHeaders,
      int maxInFlight,
      boolean active,
      String disabledReason,
      Instant lastSuccessAt,
      Instant createdAt,
      String secret) {

    static WebhookView of(Endpoint e, String secretShown) {
      return new WebhookView(
          e.id(),
          e.url(),
          e.eventTypes(),
          e.signatureProfile().wireName(),
          e.headerPrefix(),
          e.description(),
          e.customHeaders(),
          e.maxInFlight(),
          e.active(),
          e.disabledReason(),
          e.lastSuccessAt(),
          e.createdAt(),
          secretShown);
    }

    static WebhookView masked(Endpoint e) {
      return of(e, WebhookSecrets.mask(e.secrets().get(0).value()));
    }
  }

  /** One page of endpoints. */
  public record WebhookPage(List<WebhookView> items, String nextCursor) {}

  /** A test event's answer: follow it with {@code GET /api/v1/events/{eventId}}. */
  public record TestSent(String eventId, String deliveryId) {}

  /** A rotation's answer: the new secret, and until when the previous one still signs. */
  public record Rotated(String secret, Instant previousSecretExpiresAt) {}

  @POST
  public Response create(CreateWebhook body) {
    String tenant = Caller.of(security).requireTenant();
    if (body == null) {
      throw Problem.badRequest("the body must be a JSON object with url and event_types");
    }
    String url = checkedUrl(body.url());
    List<String> filters = checkedFilters(body.eventTypes());
    SignatureProfile profile;
    try {
      profile =
          body.signatureProfile() == null
              ? SignatureProfile.STANDARD
              : SignatureProfile.fromWireName(body.signatureProfile());
    } catch (IllegalArgumentException e) {
      throw invalid("signature_profile", e.getMessage());
    }
    String secret = body.secret() == null ? WebhookSecrets.generate() : body.secret();
    try {
      // Fails now, with the reason, rather than at the first delivery.
      new WebhookSigner(profile, body.headerPrefix(), List.of(new SigningSecret(secret, null)));
    } catch (IllegalArgumentException e) {
      throw invalid(
          profile == SignatureProfile.LEGACY_HEX && body.secret() == null
              ? "header_prefix"
              : "secret",
          e.getMessage());
    }
    Map<String, String> customHeaders =
        checkedHeaders(body.customHeaders(), profile, body.headerPrefix());
    int maxInFlight = checkedMaxInFlight(body.maxInFlight(), settings().maxInFlightPerEndpoint());
    Endpoint created =
        store.create(
            new NewEndpoint(
                tenant,
                url,
                "http",
                filters,
                profile,
                body.headerPrefix(),
                secret,
                body.description(),
                customHeaders,
                null,
                maxInFlight));
    return Response.status(201).entity(WebhookView.of(created, secret)).build();
  }

  @GET
  public WebhookPage list(
      @QueryParam("cursor") String cursor, @DefaultValue("50") @QueryParam("limit") int limit) {
    String tenant = Caller.of(security).requireTenant();
    Page<Endpoint> page = store.list(tenant, cursor, DeliveriesResource.pageSize(limit));
    return new WebhookPage(
        page.items().stream().map(WebhookView::masked).toList(), page.nextCursor());
  }

  @GET
  @Path("{id}")
  public WebhookView get(@PathParam("id") String id) {
    return WebhookView.masked(find(id));
  }

  @PATCH
  @Path("{id}")
  public WebhookView update(@PathParam("id") String id, UpdateWebhook body) {
    String tenant = Caller.of(security).requireTenant();
    Endpoint current = find(id);
    if (body == null) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    EndpointChanges changes =
        new EndpointChanges(
            body.url() == null ? null : checkedUrl(body.url()),
            body.eventTypes() == null ? null : checkedFilters(body.eventTypes()),
            null,
            null,
            body.description(),
            body.customHeaders() == null
                ? null
                : checkedHeaders(
                    body.customHeaders(), current.signatureProfile(), current.headerPrefix()),
            null,
            body.maxInFlight() == null ? null : checkedMaxInFlight(body.maxInFlight(), 1));
    store.update(tenant, id, changes);
    if (Boolean.FALSE.equals(body.active())) {
      store.disable(tenant, id, "disabled by the tenant");
    } else if (Boolean.TRUE.equals(body.active())) {
      store.enable(tenant, id);
    }
    return WebhookView.masked(find(id));
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") String id) {
    String tenant = Caller.of(security).requireTenant();
    if (!store.delete(tenant, id)) {
      throw Problem.notFound("webhook " + id);
    }
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/test")
  public Response test(@PathParam("id") String id) {
    String tenant = Caller.of(security).requireTenant();
    Endpoint endpoint = find(id);
    if (!endpoint.active()) {
      throw new Problem.Failure(
          Problem.of(
              409,
              "webhook-disabled",
              "Webhook disabled",
              "webhook "
                  + id
                  + " is disabled ("
                  + endpoint.disabledReason()
                  + "); enable it with PATCH {\"active\": true} first"));
    }
    String eventId = runtime.sendTestEvent(endpoint).eventId();
    String deliveryId = store.deliveriesOfEvent(tenant, eventId).orElseThrow().get(0).id();
    return Response.accepted(new TestSent(eventId, deliveryId)).build();
  }

  @POST
  @Path("{id}/rotate-secret")
  public Rotated rotate(@PathParam("id") String id) {
    String tenant = Caller.of(security).requireTenant();
    find(id);
    String secret = WebhookSecrets.generate();
    Instant previousExpires = Clock.systemUTC().instant().plus(settings().secretRotationGrace());
    store
        .rotateSecret(tenant, id, secret, previousExpires)
        .orElseThrow(() -> Problem.notFound("webhook " + id));
    return new Rotated(secret, previousExpires);
  }

  @GET
  @Path("{id}/deliveries")
  public DeliveriesResource.DeliveryPage deliveries(
      @PathParam("id") String endpointId,
      @QueryParam("status") String status,
      @QueryParam("event_type") String eventType,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("cursor") String cursor,
      @DefaultValue("50") @QueryParam("limit") int limit) {
    String tenant = tenantOwning(endpointId);
    Insights.DeliveryFilter filter;
    try {
      filter =
          new Insights.DeliveryFilter(
              status == null || status.isBlank() ? null : DeliveryStatus.fromWireName(status),
              eventType == null || eventType.isBlank() ? null : eventType,
              from == null || from.isBlank() ? null : Instant.parse(from),
              to == null || to.isBlank() ? null : Instant.parse(to));
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw Problem.badRequest(
          e.getMessage() + " (from and to are instants such as 2026-11-23T00:00:00Z)");
    }
    return DeliveriesResource.DeliveryPage.of(
        store.deliveries(tenant, endpointId, filter, cursor, DeliveriesResource.pageSize(limit)));
  }

  @GET
  @Path("{id}/deliveries/{deliveryId}/attempts")
  public DeliveriesResource.Attempts attempts(
      @PathParam("id") String endpointId, @PathParam("deliveryId") String deliveryId) {
    String tenant = tenantOwning(endpointId);
    return new DeliveriesResource.Attempts(
        store.attempts(tenant, deliveryId).stream()
            .map(DeliveriesResource.AttemptJson::of)
            .toList());
  }

  @POST
  @Path("{id}/retry/{deliveryId}")
  public Response retry(
      @PathParam("id") String endpointId, @PathParam("deliveryId") String deliveryId) {
    String tenant = tenantOwning(endpointId);
    if (!store.retryNow(tenant, deliveryId)) {
      throw new Problem.Failure(
          Problem.of(
              409,
              "not-retryable",
              "Not retryable",
              "delivery " + deliveryId + " does not exist, succeeded already, or is being sent"));
    }
    return Response.accepted(new DeliveriesResource.Count(1)).build();
  }

  @POST
  @Path("{id}/replay")
  public Response replay(
      @PathParam("id") String endpointId, DeliveriesResource.ReplayRequest body) {
    String tenant = tenantOwning(endpointId);
    if (body == null || body.since() == null) {
      throw new Problem.Failure(
          Problem.of(
                  422,
                  "invalid-replay",
                  "Invalid replay",
                  "since is required, e.g. 2026-11-23T00:00:00Z")
              .withField("since"));
    }
    return Response.accepted(
            new DeliveriesResource.Count(
                store.replay(tenant, endpointId, body.since(), MAX_REPLAY)))
        .build();
  }

  @GET
  @Path("{id}/stats")
  public DeliveriesResource.Stats stats(
      @PathParam("id") String endpointId,
      @DefaultValue("24h") @QueryParam("window") String window) {
    String tenant = tenantOwning(endpointId);
    Duration length =
        DurationText.parse(window)
            .filter(d -> !d.isZero() && d.compareTo(Duration.ofDays(90)) <= 0)
            .orElseThrow(
                () -> Problem.badRequest("window takes a duration up to 90d, such as 1h or 24h"));
    Instant to = Instant.now();
    EndpointStats s = store.stats(tenant, endpointId, to.minus(length), to);
    Map<String, Long> byStatus = new LinkedHashMap<>();
    s.deliveriesByStatus().forEach((k, v) -> byStatus.put(k.wireName(), v));
    Map<String, Long> latency = new LinkedHashMap<>();
    latency.put("p50", s.p50Millis());
    latency.put("p95", s.p95Millis());
    latency.put("p99", s.p99Millis());
    return new DeliveriesResource.Stats(window, byStatus, s.attempts(), s.successRate(), latency);
  }

  /** The caller's tenant, after checking the endpoint is the tenant's (else 404). */
  private String tenantOwning(String endpointId) {
    find(endpointId);
    return Caller.of(security).requireTenant();
  }

  private Endpoint find(String id) {
    String tenant = Caller.of(security).requireTenant();
    return store.find(tenant, id).orElseThrow(() -> Problem.notFound("webhook " + id));
  }

  private HeraldSettings settings() {
    return configuration
        .settings()
        .orElseThrow(() -> new IllegalStateException("Herald's configuration is invalid"));
  }

  private String checkedUrl(String url) {
    if (url == null || url.isBlank()) {
      throw invalid("url", "url is required");
    }
    try {
      new SsrfPolicy(settings().ssrf()).checkUrlAndResolve(url.strip());
    } catch (SsrfViolationException e) {
      throw new Problem.Failure(
          Problem.of(422, "url-refused", "URL refused", e.getMessage()).withField("url"));
    }
    return url.strip();
  }

  private static List<String> checkedFilters(List<String> filters) {
    if (filters == null || filters.isEmpty()) {
      throw invalid(
          "event_types", "event_types needs at least one filter, e.g. [\"memory.*\"] or [\"*\"]");
    }
    for (int i = 0; i < filters.size(); i++) {
      try {
        SubscriptionFilter.parse(filters.get(i));
      } catch (IllegalArgumentException e) {
        throw invalid("event_types[" + i + "]", e.getMessage());
      }
    }
    return List.copyOf(filters);
  }

  private static Map<String, String> checkedHeaders(
      Map<String, String> headers, SignatureProfile profile, String headerPrefix) {
    if (headers == null) {
      return Map.of();
    }
    try {
      HeaderRules.checkCustomHeaders(headers, profile, headerPrefix);
    } catch (IllegalArgumentException e) {
      throw invalid("custom_headers", e.getMessage());
    }
    return headers;
  }

  private static int checkedMaxInFlight(Integer value, int defaultValue) {
    int chosen = value == null ? defaultValue : value;
    if (chosen < 1 || chosen > 1000) {
      throw invalid("max_in_flight", "max_in_flight must be from 1 to 1000");
    }
    return chosen;
  }

  private static Problem.Failure invalid(String field, String detail) {
    return new Problem.Failure(
        Problem.of(422, "invalid-webhook", "Invalid webhook", detail).withField(field));
  }
}
