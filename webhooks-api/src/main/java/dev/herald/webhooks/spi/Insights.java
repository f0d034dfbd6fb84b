package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.List;

/**
 * Read-only views behind the admin UI: attempts per minute, delivery history with filters, tenants
 * with their counts, and circuits that are not healthy. Tenant-scoped calls take the tenant id;
 * those across tenants are for operators. Thread-safe.
 */
public interface Insights {

  /**
   * One minute of attempts.
   *
   * @param start the minute's first instant
   * @param succeeded attempts that succeeded
   * @param failed attempts that failed (any error or refused status)
   * @param p50Millis median attempt duration
   * @param p95Millis 95th percentile
   * @param p99Millis 99th percentile
   */
  record Minute(
      Instant start, long succeeded, long failed, long p50Millis, long p95Millis, long p99Millis) {}

  /**
   * The tenant's attempts (of one endpoint, or of all when {@code endpointId} is null) started in
   * {@code [from, to)}, per minute, oldest first; minutes without attempts are left out.
   */
  List<Minute> attemptsPerMinute(String tenantId, String endpointId, Instant from, Instant to);

  /**
   * Which deliveries a history page shows; null fields match everything.
   *
   * @param status one state
   * @param eventType one event type
   * @param from created at or after
   * @param to created before
   */
  record DeliveryFilter(DeliveryStatus status, String eventType, Instant from, Instant to) {
    public static final DeliveryFilter ALL = new DeliveryFilter(null, null, null, null);
  }

  /**
   * An endpoint's deliveries matching {@code filter}, newest first.
   *
   * @param cursor the {@link Page#nextCursor()} of the previous page, or null for the first
   */
  Page<DeliveryView> deliveries(
      String tenantId, String endpointId, DeliveryFilter filter, String cursor, int limit);

  /**
   * A tenant and what it has now.
   *
   * @param endpoints its endpoints
   * @param waiting its deliveries pending or in flight
   * @param dead its dead deliveries
   */
  record TenantSummary(
      String id, String name, Instant createdAt, long endpoints, long waiting, long dead) {}

  /** Every tenant, by id. */
  List<TenantSummary> tenants();

  /**
   * An endpoint whose circuit is open, half-open, or counting failures.
   *
   * @param active whether the endpoint is enabled
   */
  record CircuitView(
      String tenantId, String endpointId, String url, boolean active, CircuitState state) {}

  /** The circuits that are not healthy, of one tenant or of all when {@code tenantId} is null. */
  List<CircuitView> unhealthyCircuits(String tenantId);
}
