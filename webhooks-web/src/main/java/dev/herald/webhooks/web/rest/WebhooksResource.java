package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.SignatureProfile;
import dev.herald.webhooks.core.config.HeraldSettings;
import dev.herald.webhooks.core.delivery.Handshake;
import dev.herald.webhooks.core.filter.PayloadFilter;
import dev.herald.webhooks.core.http.HeaderRules;
import dev.herald.webhooks.core.retry.RetrySchedule;
import dev.herald.webhooks.core.routing.SubscriptionFilter;
import dev.herald.webhooks.core.signing.Ed25519Keys;
import dev.herald.webhooks.core.signing.WebhookSecrets;
import dev.herald.webhooks.core.signing.WebhookSigner;
import dev.herald.webhooks.core.ssrf.SsrfPolicy;
import dev.herald.webhooks.core.ssrf.SsrfViolationException;
import dev.herald.webhooks.core.time.DurationText;
import dev.herald.webhooks.spi.BatchPolicy;
import dev.herald.webhooks.spi.DeliveryOperations.EndpointStats;
import dev.herald.webhooks.spi.DeliveryStatus;
import dev.herald.webhooks.spi.Endpoint;
import dev.herald.webhooks.spi.EndpointFormat;
import dev.herald.webhooks.spi.EndpointStore.EndpointChanges;
import dev.herald.webhooks.spi.Insights;
import dev.herald.webhooks.spi.NewEndpoint;
import dev.herald.webhooks.spi.Ordering;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's webhook endpoints. The secret is shown in full only when created or rotated; URLs are
 * checked by the SSRF policy when saved (and again at every delivery).
 */
@Path("v1/webhooks")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {
  private static final System.Logger LOG = System.getLogger(WebhooksResource.class.getName());
  private static final int MAX_REPLAY = 100_000;

  @Inject JpaStore store;
  @Inject HeraldConfiguration configuration;
  @Inject HeraldRuntime runtime;
  @Context SecurityContext security;

  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "url",
          "event_types",
          "signature_profile",
          "header_prefix",
          "description",
          "custom_headers",
          "max_in_flight",
          "rate_limit_per_second",
          "retry_policy",
          "secret",
          "transport",
          "filter",
          "ordering",
          "batch",
          "format",
          "signature_algorithm",
          "handshake");
  private static final Set<String> UPDATE_FIELDS =
      Set.of(
          "url",
          "event_types",
          "description",
          "custom_headers",
          "max_in_flight",
          "rate_limit_per_second",
          "retry_policy",
          "active",
          "filter",
          "ordering",
          "batch",
          "format");
  private static final int MAX_RETRIES = 20;
  private static final Duration MAX_RETRY_DELAY = Duration.ofDays(7);
  private static final int MAX_URL = 2048;
  private static final int MAX_TRANSPORT = 64;
  private static final String HTTP = "http";
  private static final String HMAC_SHA256 = "hmac-sha256";
  private static final String ED25519 = "ed25519";
  private static final int MAX_DESCRIPTION = 1000;
  private static final int MAX_FILTERS = 100;
  private static final int MAX_FILTER = 200;
  private static final int MAX_HEADER_PREFIX = 64;
  private static final int MAX_SECRET = 512;

  /** An endpoint as the API shows it; {@code secret} is masked except on creation and rotation. */
  public record WebhookView(
      String id,
      String transport,
      String url,
      List<String> eventTypes,
      String signatureProfile,
      String headerPrefix,
      String description,
      Map<String, String> customHeaders,
      int maxInFlight,
      Double rateLimitPerSecond,
      RetryPolicyJson retryPolicy,
      String filter,
      String ordering,
      BatchJson batch,
      String format,
      boolean active,
      String disabledReason,
      Instant lastSuccessAt,
      Instant createdAt,
      String signatureAlgorithm,
      String publicKey,
      boolean handshake,
      String state,
      String secret) {

    /**
     * @param secretShown the HMAC secret as shown (in full once, else masked); ignored for an
     *     Ed25519 endpoint, whose private key is never shown and whose public key always is
     */
    static WebhookView of(Endpoint e, String secretShown) {
      String current = e.secrets().get(0).value();
      boolean ed25519 = Ed25519Keys.isPrivateKey(current);
      return new WebhookView(
          e.id(),
          e.transport(),
          e.url(),
          e.eventTypes(),
          e.signatureProfile().wireName(),
          e.headerPrefix(),
          e.description(),
          e.customHeaders(),
          e.maxInFlight(),
          e.rateLimitPerSecond(),
          e.retryDelays() == null ? null : RetryPolicyJson.of(e.retryDelays()),
          e.filter(),
          e.ordering().wireName(),
          e.batch() == null ? null : BatchJson.of(e.batch()),
          e.format().wireName(),
          e.active(),
          e.disabledReason(),
          e.lastSuccessAt(),
          e.createdAt(),
          ed25519 ? ED25519 : HMAC_SHA256,
          ed25519 ? Ed25519Keys.publicKeyOf(current) : null,
          e.handshake(),
          e.pendingValidation() ? Endpoint.PENDING_VALIDATION : e.active() ? "active" : "disabled",
          ed25519 ? null : secretShown);
    }

    static WebhookView masked(Endpoint e) {
      return of(e, WebhookSecrets.mask(e.secrets().get(0).value()));
    }
  }

  /** An endpoint's own retry schedule: the delays before attempts 2, 3, ... */
  public record RetryPolicyJson(List<String> delays) {
    static RetryPolicyJson of(List<Duration> delays) {
      return new RetryPolicyJson(delays.stream().map(DurationText::format).toList());
    }
  }

  /** Batched delivery: up to {@code max_events} events per request, the first waiting at most. */
  public record BatchJson(int maxEvents, long maxWaitMs) {
    static BatchJson of(BatchPolicy batch) {
      return new BatchJson(batch.maxEvents(), batch.maxWait().toMillis());
    }
  }

  /** One page of endpoints. */
  public record WebhookPage(List<WebhookView> items, String nextCursor) {}

  /** A test event's answer: follow it with {@code GET /api/v1/events/{eventId}}. */
  public record TestSent(String eventId, String deliveryId) {}

  /**
   * A rotation's answer: the new secret (or, for an Ed25519 endpoint, the new public key), and
   * until when the previous one still signs.
   */
  public record Rotated(String secret, String publicKey, Instant previousSecretExpiresAt) {}

  /**
   * Body {@code {"url", "event_types", "signature_profile", "header_prefix", "description",
   * "custom_headers", "max_in_flight", "rate_limit_per_second", "retry_policy", "secret",
   * "transport", "filter", "ordering", "batch", "format", "signature_algorithm", "handshake"}};
   * {@code secret} lets a migrating receiver keep its own; {@code transport} (default {@code http})
   * names an installed provider, whose destination {@code url} holds; with {@code handshake} the
   * endpoint is validated before it answers.
   */
  @POST
  public Response create(JsonBody body) {
    String tenant = Caller.of(security).requireTenant();
    if (body == null) {
      throw Problem.badRequest("the body must be a JSON object with url and event_types");
    }
    body.allowOnly(CREATE_FIELDS);
    String transport = body.text("transport", MAX_TRANSPORT).orElse(HTTP);
    String url = checkedDestination(transport, body.text("url", MAX_URL).orElse(null));
    List<String> filters = checkedFilters(body.textList("event_types", MAX_FILTERS, MAX_FILTER));
    SignatureProfile profile;
    try {
      profile =
          SignatureProfile.fromWireName(
              body.text("signature_profile", 32).orElse(SignatureProfile.STANDARD.wireName()));
    } catch (IllegalArgumentException e) {
      throw invalid("signature_profile", e.getMessage());
    }
    String headerPrefix = body.text("header_prefix", MAX_HEADER_PREFIX).orElse(null);
    Optional<String> ownSecret = body.text("secret", MAX_SECRET);
    String algorithm = body.text("signature_algorithm", 32).orElse(HMAC_SHA256);
    if (!algorithm.equals(HMAC_SHA256) && !algorithm.equals(ED25519)) {
      throw invalid(
          "signature_algorithm",
          "signature_algorithm must be \"hmac-sha256\" or \"ed25519\", was " + algorithm);
    }
    boolean ed25519 = algorithm.equals(ED25519);
    if (ed25519 && (profile != SignatureProfile.STANDARD || ownSecret.isPresent())) {
      throw invalid(
          "signature_algorithm",
          "ed25519 signs with the standard profile and a key pair Herald makes: give neither"
              + " signature_profile legacy-hex nor a secret");
    }
    if (ownSecret.isPresent() && Ed25519Keys.isPrivateKey(ownSecret.get())) {
      throw invalid(
          "secret", "a secret cannot be an Ed25519 key; ask for signature_algorithm ed25519");
    }
    String secret =
        ed25519 ? Ed25519Keys.generate() : ownSecret.orElseGet(WebhookSecrets::generate);
    try {
      // Fails now, with the reason, rather than at the first delivery.
      new WebhookSigner(profile, headerPrefix, List.of(new SigningSecret(secret, null)));
    } catch (IllegalArgumentException e) {
      throw invalid(
          profile == SignatureProfile.LEGACY_HEX && ownSecret.isEmpty()
              ? "header_prefix"
              : "secret",
          e.getMessage());
    }
    Map<String, String> customHeaders = checkedHeaders(body, profile, headerPrefix);
    int maxInFlight =
        body.integer("max_in_flight", 1, 1000).orElse(settings().maxInFlightPerEndpoint());
    BatchPolicy batch = body.body("batch").map(WebhooksResource::batch).orElse(null);
    EndpointFormat format = format(body).orElse(EndpointFormat.HERALD);
    checkFormatAndBatch(format, batch);
    boolean handshake = body.bool("handshake").orElse(false);
    if (handshake && !HTTP.equals(transport)) {
      throw invalid("handshake", "the validation handshake is for http endpoints only");
    }
    Endpoint created =
        store.create(
            new NewEndpoint(
                tenant,
                url,
                transport,
                filters,
                profile,
                headerPrefix,
                secret,
                body.prose("description", MAX_DESCRIPTION).orElse(null),
                customHeaders,
                body.body("retry_policy").map(WebhooksResource::retryDelays).orElse(null),
                maxInFlight,
                rateLimit(body).orElse(null),
                body.prose("filter", PayloadFilter.MAX_LENGTH)
                    .map(WebhooksResource::checkedFilter)
                    .orElse(null),
                ordering(body).orElse(Ordering.NONE),
                batch,
                format,
                handshake));
    if (handshake) {
      created = validate(tenant, created);
    }
    return Response.status(201).entity(WebhookView.of(created, secret)).build();
  }

  @GET
  public WebhookPage list(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    String tenant = Caller.of(security).requireTenant();
    Page<Endpoint> page = store.list(tenant, QueryParams.orNull(cursor), QueryParams.limit(limit));
    return new WebhookPage(
        page.items().stream().map(WebhookView::masked).toList(), page.nextCursor());
  }

  @GET
  @Path("{id}")
  public WebhookView get(@PathParam("id") String id) {
    return WebhookView.masked(find(id));
  }

  /**
   * Body: any of {@code url}, {@code event_types}, {@code description}, {@code custom_headers},
   * {@code max_in_flight}, {@code rate_limit_per_second}, {@code retry_policy}, {@code active},
   * {@code filter}, {@code ordering}, {@code batch}, {@code format}; absent fields stay as they
   * are, null returns a field to its default.
   */
  @PATCH
  @Path("{id}")
  public WebhookView update(@PathParam("id") String id, JsonBody body) {
    String tenant = Caller.of(security).requireTenant();
    Endpoint current = find(id);
    if (body == null) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    body.allowOnly(UPDATE_FIELDS);
    Optional<String> url = body.text("url", MAX_URL);
    Optional<List<String>> filters = body.textList("event_types", MAX_FILTERS, MAX_FILTER);
    EndpointChanges changes =
        new EndpointChanges(
            url.map(u -> checkedDestination(current.transport(), u)).orElse(null),
            filters.isEmpty() ? null : checkedFilters(filters),
            null,
            null,
            body.prose("description", MAX_DESCRIPTION).orElse(null),
            body.has("custom_headers")
                ? checkedHeaders(body, current.signatureProfile(), current.headerPrefix())
                : null,
            body.isExplicitNull("retry_policy")
                ? Optional.empty()
                : body.body("retry_policy")
                    .map(WebhooksResource::retryDelays)
                    .map(Optional::of)
                    .orElse(null),
            body.integer("max_in_flight", 1, 1000).orElse(null),
            body.isExplicitNull("rate_limit_per_second")
                ? Optional.empty()
                : rateLimit(body).map(Optional::of).orElse(null),
            body.isExplicitNull("filter")
                ? Optional.empty()
                : body.prose("filter", PayloadFilter.MAX_LENGTH)
                    .map(WebhooksResource::checkedFilter)
                    .map(Optional::of)
                    .orElse(null),
            body.isExplicitNull("ordering") ? Ordering.NONE : ordering(body).orElse(null),
            body.isExplicitNull("batch")
                ? Optional.empty()
                : body.body("batch").map(WebhooksResource::batch).map(Optional::of).orElse(null),
            format(body).orElse(null));
    checkFormatAndBatch(
        changes.format() != null ? changes.format() : current.format(),
        changes.batch() != null ? changes.batch().orElse(null) : current.batch());
    Optional<Boolean> active = body.bool("active");
    if (active.equals(Optional.of(true)) && current.pendingValidation()) {
      throw new Problem.Failure(
          Problem.of(
                  409,
                  "pending-validation",
                  "Waiting for its validation handshake",
                  "this endpoint gets events once its validation handshake allows Herald: POST"
                      + " /api/v1/webhooks/"
                      + id
                      + "/validate to try it again")
              .withField("active"));
    }
    store.update(tenant, id, changes);
    if (active.equals(Optional.of(false)) && current.active()) {
      store.disable(tenant, id, "disabled by the tenant");
      runtime.notices().ifPresent(n -> n.disabled(tenant, id, "disabled by the tenant"));
    } else if (active.equals(Optional.of(true)) && !current.active()) {
      store.enable(tenant, id);
      runtime.notices().ifPresent(n -> n.enabled(tenant, id, "enabled by the tenant"));
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

  /**
   * Tries the CloudEvents validation handshake of an endpoint waiting for it again; answers the
   * endpoint, {@code active} once allowed, else still {@code pending_validation} with the reason.
   */
  @POST
  @Path("{id}/validate")
  public WebhookView validate(@PathParam("id") String id) {
    String tenant = Caller.of(security).requireTenant();
    Endpoint endpoint = find(id);
    if (!endpoint.pendingValidation()) {
      throw new Problem.Failure(
          Problem.of(
              409,
              "not-pending-validation",
              "Not waiting for a handshake",
              "only an endpoint created with \"handshake\": true and not yet allowed is validated"));
    }
    return WebhookView.masked(validate(tenant, endpoint));
  }

  /**
   * Sends the validation request; an answer that allows Herald's origin activates the endpoint (its
   * {@code WebHook-Allowed-Rate} becoming its rate limit), any other keeps it waiting with the
   * reason.
   */
  private Endpoint validate(String tenant, Endpoint endpoint) {
    String origin = settings().handshakeOrigin();
    Handshake.Decision decision =
        Handshake.decide(
            runtime.validateEndpoint(
                endpoint.url(), Handshake.request(origin, endpoint.rateLimitPerSecond())),
            origin);
    if (decision.allowed()) {
      if (decision.ratePerSecond() != null) {
        store.update(
            tenant,
            endpoint.id(),
            new EndpointChanges(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Optional.of(decision.ratePerSecond()),
                null,
                null,
                null,
                null));
      }
      store.enable(tenant, endpoint.id());
      LOG.log(
          System.Logger.Level.INFO,
          "endpoint {0} allowed origin {1} in its validation handshake; it is active",
          endpoint.id(),
          origin);
    } else {
      store.disable(tenant, endpoint.id(), Endpoint.PENDING_VALIDATION + ": " + decision.reason());
      LOG.log(
          System.Logger.Level.INFO,
          "endpoint {0} stays pending validation: {1}",
          endpoint.id(),
          decision.reason());
    }
    return find(endpoint.id());
  }

  @POST
  @Path("{id}/rotate-secret")
  public Rotated rotate(@PathParam("id") String id) {
    String tenant = Caller.of(security).requireTenant();
    boolean ed25519 = Ed25519Keys.isPrivateKey(find(id).secrets().get(0).value());
    String secret = ed25519 ? Ed25519Keys.generate() : WebhookSecrets.generate();
    Instant previousExpires = Clock.systemUTC().instant().plus(settings().secretRotationGrace());
    store
        .rotateSecret(tenant, id, secret, previousExpires)
        .orElseThrow(() -> Problem.notFound("webhook " + id));
    return ed25519
        ? new Rotated(null, Ed25519Keys.publicKeyOf(secret), previousExpires)
        : new Rotated(secret, null, previousExpires);
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
      @QueryParam("limit") String limit) {
    String tenant = tenantOwning(endpointId);
    DeliveryStatus wanted;
    try {
      wanted = QueryParams.orNull(status) == null ? null : DeliveryStatus.fromWireName(status);
    } catch (IllegalArgumentException e) {
      throw QueryParams.invalid("status", e.getMessage());
    }
    Insights.DeliveryFilter filter =
        new Insights.DeliveryFilter(
            wanted,
            QueryParams.orNull(eventType),
            QueryParams.instant("from", from),
            QueryParams.instant("to", to));
    return DeliveriesResource.DeliveryPage.of(
        store.deliveries(
            tenant, endpointId, filter, QueryParams.orNull(cursor), QueryParams.limit(limit)));
  }

  @GET
  @Path("{id}/deliveries/{deliveryId}/attempts")
  public DeliveriesResource.Attempts attempts(
      @PathParam("id") String endpointId, @PathParam("deliveryId") String deliveryId) {
    String tenant = tenantOwning(endpointId);
    return new DeliveriesResource.Attempts(
        store
            .attempts(tenant, endpointId, deliveryId)
            .orElseThrow(
                () -> Problem.notFound("delivery " + deliveryId + " of webhook " + endpointId))
            .stream()
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
  public Response replay(@PathParam("id") String endpointId, JsonBody body) {
    String tenant = tenantOwning(endpointId);
    Instant since =
        body == null ? null : body.allowOnly(Set.of("since")).instant("since").orElse(null);
    if (since == null) {
      throw new Problem.Failure(
          Problem.of(
                  422,
                  "invalid-replay",
                  "Invalid replay",
                  "since is required, e.g. 2026-11-23T00:00:00Z")
              .withField("since"));
    }
    return Response.accepted(
            new DeliveriesResource.Count(store.replay(tenant, endpointId, since, MAX_REPLAY)))
        .build();
  }

  @GET
  @Path("{id}/stats")
  public DeliveriesResource.Stats stats(
      @PathParam("id") String endpointId,
      @DefaultValue("24h") @QueryParam("window") String window) {
    String tenant = tenantOwning(endpointId);
    Duration length = QueryParams.window("window", window, Duration.ofDays(90), "1h or 24h");
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

  /**
   * An HTTP endpoint's URL passes the SSRF policy; another transport's destination is checked by
   * its provider.
   */
  private String checkedDestination(String transport, String url) {
    if (url == null || url.isBlank()) {
      throw invalid("url", "url is required");
    }
    if (HTTP.equals(transport)) {
      return checkedUrl(url);
    }
    try {
      runtime.checkEndpointDestination(transport, url.strip());
    } catch (IllegalArgumentException e) {
      boolean unknown = !runtime.endpointTransports().contains(transport);
      throw invalid(unknown ? "transport" : "url", e.getMessage());
    }
    return url.strip();
  }

  private String checkedUrl(String url) {
    try {
      new SsrfPolicy(settings().ssrf()).checkUrlAndResolve(url.strip());
    } catch (SsrfViolationException e) {
      throw new Problem.Failure(
          Problem.of(422, "url-refused", "URL refused", e.getMessage()).withField("url"));
    }
    return url.strip();
  }

  /** A CEL payload filter that compiles; otherwise 422 naming where it is wrong. */
  static String checkedFilter(String expression) {
    try {
      return PayloadFilter.compile(expression).expression();
    } catch (IllegalArgumentException e) {
      throw new Problem.Failure(
          Problem.of(422, "invalid-filter", "Invalid filter", e.getMessage()).withField("filter"));
    }
  }

  private static List<String> checkedFilters(Optional<List<String>> given) {
    List<String> filters = given.orElse(List.of());
    if (filters.isEmpty()) {
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
      JsonBody body, SignatureProfile profile, String headerPrefix) {
    Map<String, String> headers =
        body.textMap(
                "custom_headers",
                HeaderRules.MAX_CUSTOM_HEADERS,
                MAX_FILTER,
                HeaderRules.MAX_VALUE_LENGTH)
            .orElse(Map.of());
    try {
      HeaderRules.checkCustomHeaders(headers, profile, headerPrefix);
    } catch (IllegalArgumentException e) {
      throw invalid("custom_headers", e.getMessage());
    }
    return headers;
  }

  /**
   * {@code {"delays": ["1s", "5s", ...]}}, or {@code {"initial": "2s", "multiplier": 2, "max":
   * "1h", "attempts": 6}} (attempts counts the first one): the delays before attempts 2, 3, ...
   */
  private static List<Duration> retryDelays(JsonBody policy) {
    policy.allowOnly(Set.of("delays", "initial", "multiplier", "max", "attempts"));
    if (policy.has("delays")) {
      if (policy.has("initial")
          || policy.has("multiplier")
          || policy.has("max")
          || policy.has("attempts")) {
        throw policy.invalid(
            "delays", "give either delays or initial, multiplier, max and attempts, not both");
      }
      List<String> texts = policy.textList("delays", MAX_RETRIES, 32).orElseThrow();
      List<Duration> delays = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        String item = "delays[" + i + "]";
        delays.add(
            DurationText.parse(texts.get(i))
                .filter(d -> !d.isNegative() && d.compareTo(MAX_RETRY_DELAY) <= 0)
                .orElseThrow(
                    () ->
                        policy.invalid(item, item + " must be a duration up to 7d, such as 30s")));
      }
      return List.copyOf(delays);
    }
    Duration initial =
        policy
            .duration("initial", MAX_RETRY_DELAY)
            .orElseThrow(() -> policy.invalid("initial", "initial is required, e.g. \"2s\""));
    double multiplier = policy.decimal("multiplier", 1, 100).orElse(2.0);
    Duration max = policy.duration("max", MAX_RETRY_DELAY).orElse(Duration.ofHours(1));
    if (max.compareTo(initial) < 0) {
      throw policy.invalid("max", "max must be at least initial");
    }
    int attempts =
        policy
            .integer("attempts", 1, MAX_RETRIES + 1)
            .orElseThrow(() -> policy.invalid("attempts", "attempts is required, e.g. 6"));
    return RetrySchedule.exponential(initial, multiplier, max, attempts - 1).delays();
  }

  /**
   * {@code format}: {@code "herald"}, {@code "cloudevents-structured"} or {@code
   * "cloudevents-binary"}.
   */
  private static Optional<EndpointFormat> format(JsonBody body) {
    return body.text("format", 32)
        .map(
            name -> {
              try {
                return EndpointFormat.fromWireName(name);
              } catch (IllegalArgumentException e) {
                throw body.invalid("format", e.getMessage());
              }
            });
  }

  /** CloudEvents has no binary mode for a batch: a batched endpoint takes the batch format. */
  private static void checkFormatAndBatch(EndpointFormat format, BatchPolicy batch) {
    if (format == EndpointFormat.CLOUDEVENTS_BINARY && batch != null) {
      throw invalid(
          "format",
          "a batched endpoint cannot use cloudevents-binary: CloudEvents batches exist in"
              + " structured form only; use cloudevents-structured (application/cloudevents-batch"
              + "+json) or send one event per request");
    }
  }

  /** {@code ordering}: {@code "none"} or {@code "subject"}. */
  private static Optional<Ordering> ordering(JsonBody body) {
    return body.text("ordering", 16)
        .map(
            name -> {
              try {
                return Ordering.fromWireName(name);
              } catch (IllegalArgumentException e) {
                throw body.invalid("ordering", e.getMessage());
              }
            });
  }

  /** {@code {"max_events": 1-1000, "max_wait_ms": 0-60000}}, both required. */
  private static BatchPolicy batch(JsonBody batch) {
    batch.allowOnly(Set.of("max_events", "max_wait_ms"));
    int maxEvents =
        batch
            .integer("max_events", 1, BatchPolicy.MAX_EVENTS)
            .orElseThrow(() -> batch.invalid("max_events", "max_events is required, e.g. 100"));
    int maxWaitMs =
        batch
            .integer("max_wait_ms", 0, (int) BatchPolicy.MAX_WAIT.toMillis())
            .orElseThrow(() -> batch.invalid("max_wait_ms", "max_wait_ms is required, e.g. 1000"));
    return new BatchPolicy(maxEvents, Duration.ofMillis(maxWaitMs));
  }

  /** {@code rate_limit_per_second}: 0.1 to 10,000 sends per second across every process. */
  private static Optional<Double> rateLimit(JsonBody body) {
    return body.decimal("rate_limit_per_second", 0.1, 10_000);
  }

  private static Problem.Failure invalid(String field, String detail) {
    return new Problem.Failure(
        Problem.of(422, "invalid-webhook", "Invalid webhook", detail).withField(field));
  }
}
