package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.EventPublisher;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.api.PublishResult;
import dev.herald.webhooks.core.json.JsonReader;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;

/** {@code POST /api/v1/events}: a tenant publishes an event, durably. */
@Path("v1/events")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
  @Inject EventPublisher publisher;
  @Context SecurityContext security;

  /** The request body; the idempotency key may also come as the {@code Idempotency-Key} header. */
  public record PublishRequest(
      String type, String subject, String idempotencyKey, JsonObject data, JsonObject metadata) {}

  /** 202 for a new event, 200 for a repeat of one accepted with the same idempotency key. */
  public record Published(String id, boolean duplicate) {}

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
}
