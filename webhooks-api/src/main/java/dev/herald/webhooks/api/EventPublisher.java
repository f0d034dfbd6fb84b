package dev.herald.webhooks.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes events durably. When {@code publish} returns, the event and one delivery per
 * destination are stored; nothing accepted is lost afterwards. Implementations are thread-safe.
 */
public interface EventPublisher {

  /**
   * Validates, de-duplicates, routes and stores an event.
   *
   * @throws InvalidEventException if the event's type is unknown, its data does not match the
   *     type's schema, or it is too large
   */
  PublishResult publish(NewEvent event);

  /**
   * Publishes several events, with the same guarantees as {@link #publish} for each: when it
   * returns, every event and its deliveries are stored. Herald's publisher validates them all
   * first, then stores them in one transaction, which costs far less per event than one publish
   * each. Repeated idempotency keys, within the list or with events stored earlier, are duplicates
   * as they would be one at a time.
   *
   * <p>If it throws, the caller cannot tell which events were stored (this default publishes one at
   * a time); publishing the same list again is safe, since idempotency keys (given or derived from
   * the content) turn the events already stored into duplicates.
   *
   * @param events the events, in any mix of tenants and types
   * @return one result per event, in the order given
   * @throws InvalidEventException if an event is refused; its {@code field} starts with {@code
   *     events[i]}, the index of the first refused event, and nothing is stored
   */
  default List<PublishResult> publishAll(List<NewEvent> events) {
    List<PublishResult> results = new ArrayList<>(events.size());
    for (NewEvent event : events) {
      results.add(publish(event));
    }
    return results;
  }
}
