package dev.herald.webhooks.api;

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
}
