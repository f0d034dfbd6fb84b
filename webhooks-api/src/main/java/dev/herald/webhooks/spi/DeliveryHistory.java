package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads delivery history. Every call is scoped by tenant. Thread-safe. */
public interface DeliveryHistory {

  /**
   * The event's envelope as stored: the exact bytes sent to standard-profile endpoints (UTF-8
   * JSON), or empty when the tenant has no such event.
   */
  Optional<byte[]> eventEnvelope(String tenantId, String eventId);

  /** The event's deliveries, or empty when the tenant has no such event. */
  Optional<List<DeliveryView>> deliveriesOfEvent(String tenantId, String eventId);

  /**
   * An endpoint's deliveries, newest first.
   *
   * @param status only deliveries in this state, or null for all
   * @param cursor the {@link Page#nextCursor()} of the previous page, or null for the first
   */
  Page<DeliveryView> deliveriesOfEndpoint(
      String tenantId, String endpointId, DeliveryStatus status, String cursor, int limit);

  /**
   * The attempts of one delivery, in order; empty when the tenant has no such delivery, or when
   * {@code endpointId} is given and the delivery is not that endpoint's.
   *
   * @param endpointId the endpoint the delivery must belong to, or null for any destination
   */
  Optional<List<AttemptRecord>> attempts(String tenantId, String endpointId, String deliveryId);

  /**
   * Parity of the two sides of a migration: over events accepted in {@code [from, to)} that were
   * routed both to webhooks and to Redis, how many succeeded on both sides, on one, or on none yet,
   * and the most recent events that did not succeed on both.
   *
   * @param tenantId one tenant, or null for all tenants (operators)
   * @param mismatchLimit how many not-both events to list
   */
  MigrationReport migrationReport(String tenantId, Instant from, Instant to, int mismatchLimit);
}
