package dev.herald.webhooks.worker;

import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.TenantStore;

/**
 * Told what the worker and the housekeeping do, for metrics. Calls come from the sending threads:
 * they must return quickly, and whatever they throw is logged and ignored. Every method does
 * nothing by default.
 */
public interface DeliveryObserver {
  /** Observes nothing. */
  DeliveryObserver NONE = new DeliveryObserver() {};

  /**
   * One attempt was made, to an endpoint or to a transport destination (Redis): {@code attempt}
   * holds its duration, status code and error type; {@code next} is what the delivery becomes.
   */
  default void attempted(
      ClaimedDelivery delivery, AttemptRecord attempt, DeliveryResult.Next next) {}

  /** An endpoint's circuit went from closed (or half-open) to open. */
  default void circuitOpened(String endpointId) {}

  /** The retention purge or a tenant's erasure deleted these rows. */
  default void purged(TenantStore.Purged rows) {}
}
