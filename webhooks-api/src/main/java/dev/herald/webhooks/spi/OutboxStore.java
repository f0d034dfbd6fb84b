package dev.herald.webhooks.spi;

import dev.herald.webhooks.api.PublishResult;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The transactional outbox: events with their deliveries, claimed by workers under leases.
 * Implementations are thread-safe and safe across processes sharing one database.
 */
public interface OutboxStore {

  /**
   * Stores the event and one pending delivery per target in one transaction, assigning the event's
   * sequence and encoding its body with {@code encoder} inside that transaction. When an event with
   * the same (tenant, idempotency key) was stored within the de-duplication window, stores nothing
   * and returns the original's id with {@code duplicate = true}.
   */
  PublishResult publish(PreparedEvent event, EnvelopeEncoder encoder);

  /**
   * Stores several events, each as {@link #publish} would, in one transaction: all of them or, when
   * it throws, none. An event repeating the (tenant, idempotency key) of an earlier one in the list
   * is a duplicate of that one. This default is not atomic (it stores one event at a time); stores
   * should override it.
   *
   * @return one result per event, in the order given
   */
  default List<PublishResult> publishAll(List<PreparedEvent> events, EnvelopeEncoder encoder) {
    List<PublishResult> results = new java.util.ArrayList<>(events.size());
    for (PreparedEvent event : events) {
      results.add(publish(event, encoder));
    }
    return results;
  }

  /**
   * Leases up to {@code max} due deliveries to {@code owner} for {@code lease}: pending ones whose
   * next attempt is due, and in-flight ones whose lease expired. Ordered by priority, then due
   * time; first attempts are not starved by retries. Two callers never get the same delivery while
   * a lease runs.
   */
  default List<ClaimedDelivery> claim(String owner, int max, Duration lease) {
    return claim(owner, max, lease, ClaimRules.DEFAULTS);
  }

  /**
   * As {@link #claim(String, int, Duration)}, and admits deliveries to each endpoint as its limits
   * and circuit allow, whichever process claims: no more in flight than its {@code maxInFlight}, no
   * more per second than its rate limit, none while its circuit is open, and one probe (the circuit
   * then half-open) once the rules' open period has passed since it opened. Deliveries not admitted
   * are postponed without spending an attempt; those of a tenant that falls back to Redis while the
   * circuit is open get a Redis delivery too (once per event).
   */
  List<ClaimedDelivery> claim(String owner, int max, Duration lease, ClaimRules rules);

  /** Extends the leases {@code owner} still holds; returns how many were extended. */
  int renewLeases(String owner, Collection<String> deliveryIds, Duration lease);

  /**
   * Gives back {@code owner}'s slots of these endpoints (see {@link
   * ClaimedDelivery#endpointSlots()}): it holds none of their deliveries any more. Slots not given
   * back end with the owner's leases.
   */
  void releaseSlots(String owner, Collection<String> endpointIds);

  /** As {@link #record(String, List, HealthRules)} with the default rules. */
  default Recorded record(String owner, List<DeliveryResult> results) {
    return record(owner, results, HealthRules.DEFAULTS);
  }

  /**
   * Records outcomes of deliveries leased by {@code owner} in one transaction, with their attempts
   * and what they do to their endpoints' health by {@code rules}: the circuit (closed on a success,
   * opened at the threshold of consecutive failures, opened again by a failed probe), the
   * failing-since and last-success instants, and disabling on {@code 410 Gone} or after failing too
   * long. A result for a delivery whose lease {@code owner} lost is ignored, and changes nothing.
   */
  Recorded record(String owner, List<DeliveryResult> results, HealthRules rules);

  /**
   * Adds a pending delivery of a stored event to {@code target}, unless the event already has a
   * delivery there. Used by the {@code webhook-primary} fallback to Redis: however many workers
   * decide to fall back, the event reaches the target once.
   *
   * @return true when a delivery was added; false when one existed or the tenant has no such event
   */
  boolean addDelivery(String tenantId, String eventId, DeliveryTarget target);

  /** Gives leased deliveries back without an attempt (graceful shutdown). */
  void release(String owner, Collection<String> deliveryIds);

  /**
   * Calls {@code listener} soon after new deliveries become due: at once after a publish in this
   * process, and after publishes in other processes where the database can tell (PostgreSQL {@code
   * LISTEN/NOTIFY}). Workers still poll as a safety net. The listener must return quickly.
   *
   * @return closing it stops the notifications
   */
  AutoCloseable onNewWork(Runnable listener);
}
