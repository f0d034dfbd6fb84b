package dev.herald.webhooks.spi;

import java.time.Instant;

/**
 * A delivery as history shows it.
 *
 * @param id delivery id, {@code dlv_...}
 * @param eventId the event
 * @param eventType the event type name
 * @param target where it goes
 * @param status its state
 * @param attempts attempts made so far
 * @param lastStatusCode status of the last attempt, or null
 * @param lastError error of the last attempt, or null
 * @param deadReason why the delivery went to the dead-letter queue, or null
 * @param nextAttemptAt when it is due, or null when finished
 * @param createdAt when the event was accepted
 * @param updatedAt when the delivery last changed
 */
public record DeliveryView(
    String id,
    String eventId,
    String eventType,
    DeliveryTarget target,
    DeliveryStatus status,
    int attempts,
    Integer lastStatusCode,
    String lastError,
    String deadReason,
    Instant nextAttemptAt,
    Instant createdAt,
    Instant updatedAt) {}
