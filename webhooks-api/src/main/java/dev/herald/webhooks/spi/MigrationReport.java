package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Evidence for moving on from {@code dual}: over events routed to both webhooks and Redis, which
 * side delivered them. The webhook side of an event succeeded when every endpoint delivery of it
 * succeeded.
 *
 * @param from start of the range (inclusive)
 * @param to end of the range (exclusive)
 * @param events events routed to both sides in the range
 * @param bothSucceeded delivered on both sides
 * @param webhookOnly delivered to every endpoint but not (yet) to Redis
 * @param redisOnly delivered to Redis but not (yet) to every endpoint
 * @param neither delivered on neither side (yet)
 * @param mismatches the most recent events not delivered on both sides
 */
public record MigrationReport(
    Instant from,
    Instant to,
    long events,
    long bothSucceeded,
    long webhookOnly,
    long redisOnly,
    long neither,
    List<EventParity> mismatches) {

  public MigrationReport {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    mismatches = List.copyOf(mismatches);
  }

  /**
   * One event's two sides.
   *
   * @param eventId the event
   * @param eventType its type
   * @param tenantId its tenant
   * @param createdAt when it was accepted
   * @param webhookDeliveries its endpoint deliveries
   * @param webhookSucceeded how many of them succeeded
   * @param redisStatus the state of its Redis delivery
   */
  public record EventParity(
      String eventId,
      String eventType,
      String tenantId,
      Instant createdAt,
      int webhookDeliveries,
      int webhookSucceeded,
      DeliveryStatus redisStatus) {}
}
