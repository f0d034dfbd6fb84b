package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.DeliveryOperations.RedriveFilter;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Page;
import dev.herald.webhooks.store.jpa.JpaStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's dead letters across endpoints, and their bulk redrive. The delivery shapes are shared
 * with the endpoint routes of {@link WebhooksResource}.
 */
@Path("v1/dead-letters")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DeliveriesResource {
  @Inject JpaStore store;
  @Context SecurityContext security;

  /** A delivery as the API shows it. */
  public record DeliveryJson(
      String id,
      String eventId,
      String eventType,
      String endpointId,
      String transport,
      String status,
      int attempts,
      Integer lastStatusCode,
      String lastError,
      String deadReason,
      Instant nextAttemptAt,
      Instant createdAt,
      Instant updatedAt) {
    static DeliveryJson of(DeliveryView d) {
      return new DeliveryJson(
          d.id(),
          d.eventId(),
          d.eventType(),
          d.target().endpointId(),
          d.target().transport(),
          d.status().wireName(),
          d.attempts(),
          d.lastStatusCode(),
          d.lastError(),
          d.deadReason(),
          d.nextAttemptAt(),
          d.createdAt(),
          d.updatedAt());
    }
  }

  /** One page of deliveries. */
  public record DeliveryPage(List<DeliveryJson> items, String nextCursor) {
    static DeliveryPage of(Page<DeliveryView> page) {
      return new DeliveryPage(
          page.items().stream().map(DeliveryJson::of).toList(), page.nextCursor());
    }
  }

  /** One attempt as the API shows it. */
  public record AttemptJson(
      int number,
      Instant startedAt,
      long durationMs,
      Integer statusCode,
      String responseExcerpt,
      String errorType,
      String errorMessage) {
    static AttemptJson of(AttemptRecord a) {
      return new AttemptJson(
          a.number(),
          a.startedAt(),
          a.duration().toMillis(),
          a.statusCode(),
          a.responseExcerpt(),
          a.errorType(),
          a.errorMessage());
    }
  }

  /** The attempts of a delivery. */
  public record Attempts(List<AttemptJson> items) {}

  /** A count of what an operation did. */
  public record Count(int count) {}

  /** Statistics of an endpoint over a window. */
  public record Stats(
      String window,
      Map<String, Long> deliveriesByStatus,
      long attempts,
      Double successRate,
      Map<String, Long> latencyMs) {}

  @GET
  public DeliveryPage deadLetters(
      @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
    String tenant = Caller.of(security).requireTenant();
    return DeliveryPage.of(
        store.deadLetters(tenant, QueryParams.orNull(cursor), QueryParams.limit(limit)));
  }

  /**
   * Body {@code {"endpoint_id", "event_type", "from", "to"}}, each optional: absent fields match
   * every dead delivery.
   */
  @POST
  @Path("redrive")
  public Response redrive(JsonBody body) {
    String tenant = Caller.of(security).requireTenant();
    String endpointId = null;
    String eventType = null;
    Instant from = null;
    Instant to = null;
    if (body != null) {
      body.allowOnly(Set.of("endpoint_id", "event_type", "from", "to"));
      endpointId = body.text("endpoint_id", 64).orElse(null);
      eventType = body.text("event_type", 200).orElse(null);
      from = body.instant("from").orElse(null);
      to = body.instant("to").orElse(null);
    }
    if (endpointId != null) {
      endpointOfCaller(endpointId);
    }
    int count = store.redrive(tenant, new RedriveFilter(endpointId, eventType, from, to));
    return Response.accepted(new Count(count)).build();
  }

  /** The caller's tenant, after checking the endpoint is the tenant's (else 404). */
  private String endpointOfCaller(String endpointId) {
    String tenant = Caller.of(security).requireTenant();
    if (store.find(tenant, endpointId).isEmpty()) {
      throw Problem.notFound("webhook " + endpointId);
    }
    return tenant;
  }
}
