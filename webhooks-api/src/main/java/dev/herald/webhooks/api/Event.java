package dev.herald.webhooks.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An accepted event: the envelope every destination receives (DESIGN section 4). The {@code id}
 * stays the same across retries and destinations. Immutable and thread-safe.
 *
 * @param id unique event id, {@code evt_} followed by a ULID
 * @param type the event type name
 * @param timestamp when Herald accepted the event
 * @param tenantId the owning tenant
 * @param idempotencyKey the producer's key, or the one Herald derived
 * @param schemaVersion version of the type's data schema
 * @param subject what the event is about; may be null
 * @param sequence increases per (tenant, subject); 0 until the store assigns it
 * @param data the type-specific payload
 * @param metadata free-form producer metadata
 */
public record Event(
    String id,
    String type,
    Instant timestamp,
    String tenantId,
    String idempotencyKey,
    int schemaVersion,
    String subject,
    long sequence,
    Map<String, Object> data,
    Map<String, Object> metadata) {

  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("schemaVersion must be >= 1, was " + schemaVersion);
    }
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    data = JsonValues.freezeObject(data, "data");
    metadata = JsonValues.freezeObject(metadata, "metadata");
  }

  /** This event with the sequence the store assigned. */
  public Event withSequence(long sequence) {
    return new Event(
        id,
        type,
        timestamp,
        tenantId,
        idempotencyKey,
        schemaVersion,
        subject,
        sequence,
        data,
        metadata);
  }
}
