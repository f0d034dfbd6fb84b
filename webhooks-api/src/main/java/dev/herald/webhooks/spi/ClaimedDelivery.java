package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery a worker holds a lease on. Only the lease owner may record its outcome.
 *
 * @param deliveryId the delivery
 * @param eventId the event
 * @param tenantId the owning tenant
 * @param eventType the event type name
 * @param target where it goes
 * @param attempt the number of the attempt about to be made, starting at 1
 * @param body the stored envelope bytes
 * @param eventCreatedAt when the event was accepted
 * @param leaseUntil when the lease expires unless renewed
 * @param endpointSlots how many requests to its endpoint the claimer may have in flight at once
 *     (its share of the endpoint's {@code max_in_flight}, held under the same lease), or 0 when the
 *     target has no endpoint
 * @param batchId the batch it was last sent in and is retried with (its first member's delivery
 *     id), or null when it goes on its own or in a new batch
 */
public record ClaimedDelivery(
    String deliveryId,
    String eventId,
    String tenantId,
    String eventType,
    DeliveryTarget target,
    int attempt,
    byte[] body,
    Instant eventCreatedAt,
    Instant leaseUntil,
    int endpointSlots,
    String batchId) {
  public ClaimedDelivery {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(body, "body");
  }
}
