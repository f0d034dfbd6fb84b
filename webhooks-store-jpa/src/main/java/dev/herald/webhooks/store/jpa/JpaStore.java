package dev.herald.webhooks.store.jpa;

import dev.herald.webhooks.spi.ApiKeyStore;
import dev.herald.webhooks.spi.CircuitStateStore;
import dev.herald.webhooks.spi.DeliveryHistory;
import dev.herald.webhooks.spi.DeliveryOperations;
import dev.herald.webhooks.spi.EndpointStore;
import dev.herald.webhooks.spi.Insights;
import dev.herald.webhooks.spi.OutboxStore;
import dev.herald.webhooks.spi.SettingsStore;
import dev.herald.webhooks.spi.TenantStore;

/**
 * Every store SPI on one database. Thread-safe and safe across processes sharing the database.
 * Closing it stops the PostgreSQL listener, closes the entity manager factory and, when {@link
 * JpaStores} created the connection pool, the pool.
 */
public interface JpaStore
    extends OutboxStore,
        EndpointStore,
        TenantStore,
        CircuitStateStore,
        SettingsStore,
        DeliveryHistory,
        ApiKeyStore,
        DeliveryOperations,
        Insights,
        AutoCloseable {

  /** Whether the database is PostgreSQL (otherwise the embedded H2). */
  boolean isPostgres();

  /**
   * Reads one row of the schema with plain JDBC, the query bounded by {@code timeout}: the
   * readiness check. Waiting for a connection is bounded by the pool, so callers that must answer
   * in time run it on a thread of their own.
   *
   * @throws dev.herald.webhooks.spi.StoreUnavailableException when the database cannot be reached
   */
  void ping(java.time.Duration timeout);

  @Override
  void close();
}
