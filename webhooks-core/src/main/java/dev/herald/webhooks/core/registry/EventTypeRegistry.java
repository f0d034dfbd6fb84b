package dev.herald.webhooks.core.registry;

import dev.herald.webhooks.api.CatalogEventTypes;
import dev.herald.webhooks.api.EventType;
import dev.herald.webhooks.core.validation.DataSchema;
import dev.herald.webhooks.spi.EventTypeProvider;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The event-type catalog of this process: the built-in types and those of every {@link
 * EventTypeProvider}, each with its compiled data schema. Immutable and thread-safe.
 */
public final class EventTypeRegistry {

  /** A type with its compiled schema. */
  public record Registered(EventType type, DataSchema schema, String source) {}

  private final Map<String, Registered> byName;

  /**
   * @throws IllegalStateException when two types share a name or a schema does not compile
   */
  public EventTypeRegistry(Collection<? extends EventTypeProvider> providers) {
    Map<String, Registered> map = new LinkedHashMap<>();
    for (EventType type : CatalogEventTypes.all()) {
      add(map, type, "built-in catalog");
    }
    for (EventTypeProvider provider : providers) {
      for (EventType type : provider.eventTypes()) {
        add(map, type, "provider " + provider.name());
      }
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  /** The built-in catalog plus every provider visible to {@code classLoader}. */
  public static EventTypeRegistry load(ClassLoader classLoader) {
    return new EventTypeRegistry(Providers.load(EventTypeProvider.class, classLoader));
  }

  private static void add(Map<String, Registered> map, EventType type, String source) {
    DataSchema schema;
    try {
      schema = DataSchema.compile(type.dataSchema());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "event type "
              + type.name()
              + " from "
              + source
              + " has an invalid schema: "
              + e.getMessage(),
          e);
    }
    Registered previous = map.putIfAbsent(type.name(), new Registered(type, schema, source));
    if (previous != null) {
      throw new IllegalStateException(
          "event type "
              + type.name()
              + " is defined twice: by "
              + previous.source()
              + " and by "
              + source);
    }
  }

  public Optional<Registered> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every type: the built-in catalog first, then providers' types in load order. */
  public List<EventType> types() {
    return byName.values().stream().map(Registered::type).toList();
  }
}
