package dev.herald.webhooks.web.rest;

import dev.herald.webhooks.api.EventType;
import dev.herald.webhooks.core.json.JsonReader;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code GET /api/v1/event-types}: the catalog, each type with its JSON Schema and an example. */
@Path("v1/event-types")
@RequestScoped
public class EventTypesResource {
  @Inject EventTypeRegistry registry;

  /** One catalog entry as the API shows it. */
  public record EventTypeView(
      String name,
      String priority,
      String description,
      int schemaVersion,
      Map<String, Object> dataSchema,
      Map<String, Object> example) {

    static EventTypeView of(EventType type) {
      return new EventTypeView(
          type.name(),
          type.priority().name().toLowerCase(Locale.ROOT),
          type.description(),
          type.schemaVersion(),
          JsonReader.readObject(type.dataSchema()),
          JsonReader.readObject(type.example()));
    }
  }

  /** The catalog page: every registered type, by name. */
  public record Catalog(List<EventTypeView> items) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Catalog list() {
    return new Catalog(registry.types().stream().map(EventTypeView::of).toList());
  }
}
