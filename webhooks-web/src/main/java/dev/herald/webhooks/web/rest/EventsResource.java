package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.EventPublisher;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.store.jpa.JpaStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/events}: a tenant publishes an event, durably; {@code GET
 * /api/v1/events/{id}}: the event as receivers get it, with its deliveries.
 */
@Path("v1/events")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
  @Inject EventPublisher publisher;
  @Inject JpaStore store;
  @Context SecurityContext security;

  /** The request body; the idempotency key may also come as the {@code Idempotency-Key} header. */
  public record PublishRequest(
      String type, String subject, String idempotencyKey, JsonObject data, JsonObject metadata) {}

  /** 202 for a new event, 200 for a repeat of one accepted with the same idempotency key. */
  public record Published(String id, boolean duplicate) {}

  /** An event (its envelope, as sent) and where it went. */
  public record EventWithDeliveries(
      JsonObject event, List<DeliveriesResource.DeliveryJson> deliveries) {}

  /** JSON-P keeps the producer's key order and tells integers from decimals. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(JsonObject json) {
    return json == null ? Map.of() : (Map<String, Object>) JsonReader.toJava(json);
  }

  @POST
  public Response publish(
      @HeaderParam("Idempotency-Key") String idempotencyHeader, PublishRequest body) {
    String tenant = Caller.of(security).requireTenant();
    if (body == null) {
      throw Problem.badRequest("the request body must be a JSON object with type and data");
    }
    if (body.type() == null) {
      throw new Problem.Failure(
          Problem.of(422, "invalid-envelope", "Invalid event field", "type is required")
              .withField("type"));
    }
    String key = body.idempotencyKey();
    if (idempotencyHeader != null && !idempotencyHeader.isBlank()) {
      if (key != null && !key.equals(idempotencyHeader)) {
        throw Problem.badRequest(
            "the Idempotency-Key header and the idempotency_key field differ; send one of them");
      }
      key = idempotencyHeader;
    }
    NewEvent event =
        new NewEvent(
            tenant, body.type(), body.subject(), key, object(body.data()), object(body.metadata()));
    PublishResult result = publisher.publish(event);
    return Response.status(result.duplicate() ? 200 : 202)
        .entity(new Published(result.eventId(), result.duplicate()))
        .build();
  }

  @GET
  @Path("{id}")
  public EventWithDeliveries get(@PathParam("id") String id) {
    String tenant = Caller.of(security).requireTenant();
    byte[] envelope =
        store.eventEnvelope(tenant, id).orElseThrow(() -> Problem.notFound("event " + id));
    return new EventWithDeliveries(
        Json.createReader(new ByteArrayInputStream(envelope)).readObject(),
        store.deliveriesOfEvent(tenant, id).orElse(List.of()).stream()
            .map(DeliveriesResource.DeliveryJson::of)
            .toList());
  }
}
