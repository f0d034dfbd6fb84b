package dev.herald.webhooks.worker;

import dev.herald.webhooks.spi.AttemptRecord;
import dev.herald.webhooks.spi.ClaimedDelivery;
import dev.herald.webhooks.spi.DeliveryResult;
import dev.herald.webhooks.spi.TenantStore;
import java.util.List;

/**
 * Told what the worker and the housekeeping do, for metrics. Calls come from the sending threads:
 * they must return quickly, and whatever they throw is logged and ignored. Every method does
 * nothing by default.
 */
public interface DeliveryObserver {
  /** Observes nothing. */
  DeliveryObserver NONE = new DeliveryObserver() {};

  /**
   * Tells each of {@code observers}, in order; one that throws does not keep the others from it.
   */
  static DeliveryObserver all(DeliveryObserver... observers) {
    List<DeliveryObserver> list = List.of(observers);
    return new DeliveryObserver() {
      @Override
      public void attempted(
          ClaimedDelivery delivery, AttemptRecord attempt, DeliveryResult.Next next) {
        list.forEach(o -> quietly(() -> o.attempted(delivery, attempt, next)));
      }

      @Override
      public void circuitOpened(String endpointId) {
        list.forEach(o -> quietly(() -> o.circuitOpened(endpointId)));
      }

      @Override
      public void healthChanged(dev.herald.webhooks.spi.Recorded.HealthChange change) {
        list.forEach(o -> quietly(() -> o.healthChanged(change)));
      }

      @Override
      public void purged(TenantStore.Purged rows) {
        list.forEach(o -> quietly(() -> o.purged(rows)));
      }
    };
  }

  private static void quietly(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      System.getLogger(DeliveryObserver.class.getName())
          .log(System.Logger.Level.WARNING, "delivery observer failed: {0}", e.toString());
    }
  }

  /**
   * One attempt was made, to an endpoint or to a transport destination (Redis): {@code attempt}
   * holds its duration, status code and error type; {@code next} is what the delivery becomes.
   */
  default void attempted(
      ClaimedDelivery delivery, AttemptRecord attempt, DeliveryResult.Next next) {}

  /** An endpoint's circuit went from closed (or half-open) to open. */
  default void circuitOpened(String endpointId) {}

  /**
   * An endpoint's circuit opened or closed, or the endpoint was disabled, as the recording of an
   * attempt decided (after {@link #circuitOpened} for an opening).
   */
  default void healthChanged(dev.herald.webhooks.spi.Recorded.HealthChange change) {}

  /** The retention purge or a tenant's erasure deleted these rows. */
  default void purged(TenantStore.Purged rows) {}
}
