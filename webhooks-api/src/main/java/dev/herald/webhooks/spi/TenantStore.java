package dev.herald.webhooks.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tenants and the lifecycle of their data: deletion, export and the retention purge. Thread-safe.
 */
public interface TenantStore {

  /** A tenant: {@code id} matches {@code [a-z0-9][a-z0-9_-]{0,63}}. */
  record Tenant(String id, String name, Instant createdAt) {}

  /** Rows deleted, by table. */
  record Purged(long events, long deliveries, long attempts) {
    public static final Purged NONE = new Purged(0, 0, 0);

    public Purged plus(Purged other) {
      return new Purged(
          events + other.events, deliveries + other.deliveries, attempts + other.attempts);
    }

    public long rows() {
      return events + deliveries + attempts;
    }
  }

  /** One event as exported: its envelope is the stored JSON. */
  record ExportedEvent(
      String id, String type, String subject, long sequence, Instant createdAt, byte[] envelope) {}

  /** Receives a tenant's rows, kind by kind, in a stable order. */
  interface ExportSink {
    void tenant(Tenant tenant);

    void endpoint(Endpoint endpoint);

    void event(ExportedEvent event);

    void delivery(DeliveryView delivery);

    void attempt(String deliveryId, AttemptRecord attempt);
  }

  /**
   * @throws IllegalStateException when a tenant with that id exists, or is still being erased
   */
  Tenant createTenant(String id, String name);

  /** The tenant, unless there is none or it was deleted. */
  Optional<Tenant> findTenant(String id);

  /**
   * Deletes a tenant at once as far as its users can tell: from this call on it is not found, its
   * API keys are gone and its endpoints inactive. Its remaining rows are erased by {@link
   * #eraseDeletedTenant}.
   *
   * @return false when there is no such tenant (or it was deleted already)
   */
  boolean deleteTenant(String id);

  /** Tenants deleted whose rows are not all erased yet. */
  List<String> deletedTenants();

  /**
   * Erases every row of a deleted tenant (events, deliveries, attempts, endpoints, circuit states,
   * slots, sequences, phase override, the tenant itself), {@code batchSize} events per transaction.
   * Does nothing for a tenant that was not deleted.
   */
  Purged eraseDeletedTenant(String id, int batchSize);

  /**
   * Deletes events (with their deliveries and attempts) created before {@code cutoff} whose
   * deliveries are all finished (succeeded or dead), at most {@code batchSize} events per
   * transaction, until none is left. A pending or in-flight delivery keeps its event.
   */
  Purged purgeEventsOlderThan(Instant cutoff, int batchSize);

  /**
   * Streams every row of the tenant to {@code sink}: the tenant, its endpoints, events, deliveries
   * and attempts. Reads in pages, never the whole tenant at once.
   *
   * @return false when there is no such tenant
   */
  boolean exportTenant(String id, ExportSink sink);

  /**
   * Takes the lease of a job that one process at a time runs for all: succeeds when no lease (not
   * even the holder's own) runs past now; the lease then runs until {@code now + duration}, so that
   * the job runs once per {@code duration} across all processes.
   */
  boolean tryLease(String job, String holder, Duration duration);
}
