package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What tenants and operators do to deliveries: retry, redrive, replay, and the statistics and
 * dead-letter views behind them. Every call is scoped by tenant. Thread-safe.
 */
public interface DeliveryOperations {

  /**
   * Makes a pending or dead delivery due now, keeping its attempts.
   *
   * @return false when the tenant has no such delivery, or it succeeded or is being sent
   */
  boolean retryNow(String tenantId, String deliveryId);

  /**
   * Which dead deliveries to redrive; null fields match everything.
   *
   * @param endpointId one endpoint
   * @param eventType one event type
   * @param from accepted at or after
   * @param to accepted before
   */
  record RedriveFilter(String endpointId, String eventType, Instant from, Instant to) {}

  /** Makes every matching dead delivery pending and due now; returns how many. */
  int redrive(String tenantId, RedriveFilter filter);

  /**
   * Sends the tenant's events accepted since {@code since} (those the endpoint's filters match) to
   * the endpoint again, as new deliveries, oldest first, at most {@code limit} of them.
   *
   * @return how many deliveries were created; 0 when the tenant has no such endpoint
   */
  int replay(String tenantId, String endpointId, Instant since, int limit);

  /**
   * An endpoint's deliveries and attempts over a window.
   *
   * @param deliveriesByStatus deliveries created in the window, by status
   * @param attempts attempts made in the window
   * @param successfulAttempts those that succeeded
   * @param p50Millis median attempt duration, or null without attempts
   * @param p95Millis 95th percentile, or null
   * @param p99Millis 99th percentile, or null
   */
  record EndpointStats(
      java.util.Map<DeliveryStatus, Long> deliveriesByStatus,
      long attempts,
      long successfulAttempts,
      Long p50Millis,
      Long p95Millis,
      Long p99Millis) {

    /** Successful attempts over all attempts, or null without attempts. */
    public Double successRate() {
      return attempts == 0 ? null : (double) successfulAttempts / attempts;
    }
  }

  /** Statistics of one endpoint over {@code [from, to)}; empty counts when there is no such. */
  EndpointStats stats(String tenantId, String endpointId, Instant from, Instant to);

  /** The tenant's dead deliveries, newest first, across endpoints. */
  Page<DeliveryView> deadLetters(String tenantId, String cursor, int limit);

  /** How many deliveries are waiting, by priority rank (0 high, 1 normal, 2 low), for metrics. */
  List<Long> queueDepthByPriority();

  /**
   * How many endpoints' circuits are in each stored state, for metrics; every state is a key (0
   * when none). An endpoint that was never sent to has no stored state and is not counted.
   */
  Map<CircuitState.Status, Long> circuitsByStatus();
}
