package dev.herald.webhooks.spi;

import java.util.Optional;

/** Tenants and their data lifecycle. Thread-safe. */
public interface TenantStore {

  /** A tenant: {@code id} matches {@code [a-z0-9][a-z0-9_-]{0,63}}. */
  record Tenant(String id, String name) {}

  /**
   * @throws IllegalStateException when a tenant with that id exists
   */
  Tenant createTenant(String id, String name);

  Optional<Tenant> findTenant(String id);

  /** Deletes the tenant and all its data (endpoints, events, deliveries, attempts, keys). */
  boolean deleteTenant(String id);

  /**
   * Deletes events (with their deliveries and attempts) older than {@code cutoff} whose deliveries
   * are all finished, at most {@code batchSize} events per transaction, until none is left. Returns
   * how many events were deleted.
   */
  int purgeEventsOlderThan(java.time.Instant cutoff, int batchSize);
}
