package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.EventPublisher;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.json.JsonWriter;
import dev.herald.webhooks.store.jpa.JpaStore;
import dev.herald.webhooks.web.application.HeraldRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/events}: a tenant publishes an event, durably; {@code GET
 * /api/v1/events/{id}}: the event as receivers get it, with its deliveries.
 */
@Path("v1/events")
// One instance: the hot path pays no bean creation and injection per request.
@ApplicationScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
  static final int MAX_BATCH = 1000;

  /** A bound for the envelope's texts before the validator applies the exact limits. */
  private static final int MAX_TEXT = 1000;

  @Inject EventPublisher publisher;
  @Inject HeraldRuntime runtime;

  private static final Set<String> EVENT_FIELDS =
      Set.of("type", "subject", "idempotency_key", "data", "metadata");

  /** An event (its envelope, as sent) and where it went. */
  public record EventWithDeliveries(
      JsonObject event, List<DeliveriesResource.DeliveryJson> deliveries) {}

  /**
   * Body {@code {"type", "subject", "idempotency_key", "data", "metadata"}}; the idempotency key
   * may come as the {@code Idempotency-Key} header instead.
   */
  @POST
  public Response publish(
      @Context SecurityContext security,
      @HeaderParam("Idempotency-Key") String idempotencyHeader,
      @BodyLimit(events = 1) JsonBody body) {
    String tenant = Caller.of(security).requireTenant();
    if (body == null) {
      throw Problem.badRequest("the request body must be a JSON object with type and data");
    }
    NewEvent event = newEvent(tenant, body);
    if (idempotencyHeader != null && !idempotencyHeader.isBlank()) {
      if (event.idempotencyKey() != null && !event.idempotencyKey().equals(idempotencyHeader)) {
        throw Problem.badRequest(
            "the Idempotency-Key header and the idempotency_key field differ; send one of them");
      }
      event =
          new NewEvent(
              tenant,
              event.type(),
              event.subject(),
              idempotencyHeader,
              event.data(),
              event.metadata());
    }
    PublishResult result = publisher.publish(event);
    return Response.status(result.duplicate() ? 200 : 202).entity(json(published(result))).build();
  }

  /**
   * {@code POST /api/v1/events/batch}: up to {@value #MAX_BATCH} events stored in one transaction,
   * each with its own idempotency key. All or nothing: one refused event refuses the batch, with
   * {@code field} naming it ({@code events[3].data.user_id}). 202, or 200 when every event was a
   * duplicate.
   */
  @POST
  @Path("batch")
  public Response publishBatch(
      @Context SecurityContext security, @BodyLimit(events = MAX_BATCH) JsonBody body) {
    String tenant = Caller.of(security).requireTenant();
    List<JsonBody> items =
        body == null
            ? List.of()
            : body.allowOnly(Set.of("events")).objects("events", MAX_BATCH).orElse(List.of());
    if (items.isEmpty()) {
      throw Problem.badRequest(
          "the request body must be {\"events\": [...]} with 1 or more events");
    }
    List<NewEvent> events = new ArrayList<>(items.size());
    for (JsonBody item : items) {
      events.add(newEvent(tenant, item));
    }
    List<PublishResult> results = publisher.publishAll(events);
    boolean allDuplicates = results.stream().allMatch(PublishResult::duplicate);
    return Response.status(allDuplicates ? 200 : 202)
        .entity(json(Map.of("items", results.stream().map(EventsResource::published).toList())))
        .build();
  }

  /** {@code {"id", "duplicate"}}. */
  private static Map<String, Object> published(PublishResult result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", result.eventId());
    json.put("duplicate", result.duplicate());
    return json;
  }

  /**
   * The publish routes write their small answers with core's writer: JSON-B's reflective binding
   * cost more than the rest of the response in the profile.
   */
  private static byte[] json(Map<String, Object> value) {
    return JsonWriter.writeUtf8(value, JsonWriter.Style.COMPACT);
  }

  /** The event of a body; the validator checks the rest (type, lengths, schema, size). */
  private static NewEvent newEvent(String tenant, JsonBody body) {
    body.allowOnly(EVENT_FIELDS);
    String type =
        body.text("type", MAX_TEXT).orElseThrow(() -> body.invalid("type", "type is required"));
    return new NewEvent(
        tenant,
        type,
        body.text("subject", MAX_TEXT).orElse(null),
        body.text("idempotency_key", MAX_TEXT).orElse(null),
        body.object("data").orElse(Map.of()),
        body.object("metadata").orElse(Map.of()));
  }

  @GET
  @Path("{id}")
  public EventWithDeliveries get(@Context SecurityContext security, @PathParam("id") String id) {
    String tenant = Caller.of(security).requireTenant();
    JpaStore store =
        runtime.store().orElseThrow(() -> new IllegalStateException(runtime.notRunningReason()));
    byte[] envelope =
        store.eventEnvelope(tenant, id).orElseThrow(() -> Problem.notFound("event " + id));
    return new EventWithDeliveries(
        JsonReader.readJsonObject(envelope),
        store.deliveriesOfEvent(tenant, id).orElse(List.of()).stream()
            .map(DeliveriesResource.DeliveryJson::of)
            .toList());
  }
}
