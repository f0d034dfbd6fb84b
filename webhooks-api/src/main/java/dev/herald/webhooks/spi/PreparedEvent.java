package dev.herald.webhooks.spi;

import dev.herald.webhooks.api.Event;
import dev.herald.webhooks.api.Priority;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A validated, routed event ready to be stored with its deliveries in one transaction.
 *
 * @param event the event, with sequence 0: the store assigns it
 * @param priority claim priority of its deliveries
 * @param targets one delivery is created per target
 * @param dedupWindow a stored event with the same (tenant, idempotency key) younger than this makes
 *     the publish a duplicate
 */
public record PreparedEvent(
    Event event, Priority priority, List<DeliveryTarget> targets, Duration dedupWindow) {
  public PreparedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(priority, "priority");
    targets = List.copyOf(targets);
    Objects.requireNonNull(dedupWindow, "dedupWindow");
  }
}
