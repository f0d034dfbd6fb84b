package dev.herald.webhooks.spi;

import dev.herald.webhooks.api.EventType;
import java.util.List;

/**
 * Adds custom event types to the catalog. Register an implementation in {@code
 * META-INF/services/dev.herald.webhooks.spi.EventTypeProvider}. Called once at start-up; a type
 * name that another provider or the built-in catalog already uses is a start-up error.
 */
public interface EventTypeProvider {

  /** A short name for logs, e.g. {@code model-registry}. */
  String name();

  /** The types this provider adds. */
  List<EventType> eventTypes();
}
