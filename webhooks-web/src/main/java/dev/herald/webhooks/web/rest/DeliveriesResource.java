package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.DeliveryOperations.RedriveFilter;
import dev.herald.webhooks.spi.DeliveryView;
import dev.herald.webhooks.spi.Page;
import dev.herald.webhooks.store.jpa.JpaStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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

/**
 * A tenant's dead letters across endpoints, and their bulk redrive. The delivery shapes are shared
 * with the endpoint routes of {@link WebhooksResource}.
 */
@Path("v1/dead-letters")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class DeliveriesResource {
  private static final int MAX_PAGE = 100;

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

  /** {@code POST .../replay} body. */
  public record ReplayRequest(Instant since) {}

  /** {@code POST /api/v1/dead-letters/redrive} body; absent fields match everything. */
  public record RedriveRequest(String endpointId, String eventType, Instant from, Instant to) {}

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
      @QueryParam("cursor") String cursor, @DefaultValue("50") @QueryParam("limit") int limit) {
    String tenant = Caller.of(security).requireTenant();
    return DeliveryPage.of(store.deadLetters(tenant, cursor, pageSize(limit)));
  }

  @POST
  @Path("redrive")
  public Response redrive(RedriveRequest body) {
    String tenant = Caller.of(security).requireTenant();
    RedriveRequest r = body == null ? new RedriveRequest(null, null, null, null) : body;
    if (r.endpointId() != null) {
      endpointOfCaller(r.endpointId());
    }
    int count =
        store.redrive(tenant, new RedriveFilter(r.endpointId(), r.eventType(), r.from(), r.to()));
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

  /** The page size asked for, checked. */
  static int pageSize(int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw Problem.badRequest("limit must be from 1 to " + MAX_PAGE);
    }
    return limit;
  }
}
