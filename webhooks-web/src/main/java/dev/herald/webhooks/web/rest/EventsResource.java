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
import java.util.ArrayList;
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
  static final int MAX_BATCH = 1000;

  @Inject EventPublisher publisher;
  @Inject JpaStore store;
  @Context SecurityContext security;

  /** The request body; the idempotency key may also come as the {@code Idempotency-Key} header. */
  public record PublishRequest(
      String type, String subject, String idempotencyKey, JsonObject data, JsonObject metadata) {}

  /** 202 for a new event, 200 for a repeat of one accepted with the same idempotency key. */
  public record Published(String id, boolean duplicate) {}

  /** {@code POST /api/v1/events/batch} body. */
  public record PublishBatch(List<PublishRequest> events) {}

  /** One result per event, in the order sent. */
  public record PublishedBatch(List<Published> items) {}

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
    String key = body.idempotencyKey();
    if (idempotencyHeader != null && !idempotencyHeader.isBlank()) {
      if (key != null && !key.equals(idempotencyHeader)) {
        throw Problem.badRequest(
            "the Idempotency-Key header and the idempotency_key field differ; send one of them");
      }
      key = idempotencyHeader;
    }
    PublishResult result = publisher.publish(newEvent(tenant, body, key, ""));
    return Response.status(result.duplicate() ? 200 : 202)
        .entity(new Published(result.eventId(), result.duplicate()))
        .build();
  }

  /**
   * {@code POST /api/v1/events/batch}: up to {@value #MAX_BATCH} events stored in one transaction,
   * each with its own idempotency key. All or nothing: one refused event refuses the batch, with
   * {@code field} naming it ({@code events[3].data.user_id}). 202, or 200 when every event was a
   * duplicate.
   */
  @POST
  @Path("batch")
  public Response publishBatch(PublishBatch body) {
    String tenant = Caller.of(security).requireTenant();
    if (body == null || body.events() == null || body.events().isEmpty()) {
      throw Problem.badRequest(
          "the request body must be {\"events\": [...]} with 1 or more events");
    }
    if (body.events().size() > MAX_BATCH) {
      throw new Problem.Failure(
          Problem.of(
                  422,
                  "batch-too-large",
                  "Too many events",
                  "a batch holds at most "
                      + MAX_BATCH
                      + " events, this one "
                      + body.events().size())
              .withField("events"));
    }
    List<NewEvent> events = new ArrayList<>(body.events().size());
    for (int i = 0; i < body.events().size(); i++) {
      PublishRequest request = body.events().get(i);
      if (request == null) {
        throw new Problem.Failure(
            Problem.of(422, "invalid-envelope", "Invalid event field", "events[" + i + "] is null")
                .withField("events[" + i + "]"));
      }
      events.add(newEvent(tenant, request, request.idempotencyKey(), "events[" + i + "]."));
    }
    List<PublishResult> results = publisher.publishAll(events);
    boolean allDuplicates = results.stream().allMatch(PublishResult::duplicate);
    return Response.status(allDuplicates ? 200 : 202)
        .entity(
            new PublishedBatch(
                results.stream().map(r -> new Published(r.eventId(), r.duplicate())).toList()))
        .build();
  }

  private static NewEvent newEvent(
      String tenant, PublishRequest body, String idempotencyKey, String fieldPrefix) {
    if (body.type() == null) {
      throw new Problem.Failure(
          Problem.of(
                  422, "invalid-envelope", "Invalid event field", fieldPrefix + "type is required")
              .withField(fieldPrefix + "type"));
    }
    return new NewEvent(
        tenant,
        body.type(),
        body.subject(),
        idempotencyKey,
        object(body.data()),
        object(body.metadata()));
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
