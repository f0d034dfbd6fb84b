package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.filter.PayloadFilter;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/filters/test}: whether a payload filter accepts an example event, before an
 * endpoint is saved with it (the admin UI's "Test against an example event").
 */
@Path("v1/filters/test")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FiltersResource {
  private static final int MAX_TEXT = 1000;

  @Context SecurityContext security;

  /** The answer: whether the event matches. */
  public record Tested(boolean matches) {}

  /**
   * Body {@code {"filter": "...", "event": {"type", "subject", "data", "metadata"}}}; the event is
   * the caller's tenant's.
   */
  @POST
  public Tested test(JsonBody body) {
    String tenant = Caller.of(security).requireTenant();
    if (body == null) {
      throw Problem.badRequest("the body must be a JSON object with filter and event");
    }
    body.allowOnly(Set.of("filter", "event"));
    String expression =
        WebhooksResource.checkedFilter(
            body.prose("filter", PayloadFilter.MAX_LENGTH)
                .orElseThrow(() -> Problem.badRequest("filter is required")));
    JsonBody event = body.body("event").orElseThrow(() -> Problem.badRequest("event is required"));
    event.allowOnly(Set.of("type", "subject", "data", "metadata"));
    NewEvent example =
        new NewEvent(
            tenant,
            event.text("type", MAX_TEXT).orElse("example.event"),
            event.text("subject", MAX_TEXT).orElse(null),
            null,
            event.object("data").orElse(Map.of()),
            event.object("metadata").orElse(Map.of()));
    return new Tested(PayloadFilter.compile(expression).matches(example));
  }
}
