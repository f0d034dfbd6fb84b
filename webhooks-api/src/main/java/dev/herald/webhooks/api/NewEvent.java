package dev.herald.webhooks.api;

import java.util.Map;
import java.util.Objects;

/**
 * An event as a producer publishes it. Herald assigns the id, timestamp and sequence.
 *
 * <p>{@code data} and {@code metadata} hold JSON-shaped values only ({@code null}, Boolean, Number,
 * String, List, Map with String keys); they are copied and frozen on construction. Immutable and
 * thread-safe.
 *
 * @param tenantId the tenant that owns the event
 * @param type the event type name, e.g. {@code memory.created}
 * @param subject what the event is about, e.g. {@code memory/123}; orders {@code sequence}; may be
 *     null
 * @param idempotencyKey the producer's key for de-duplication; null lets Herald derive one from the
 *     content
 * @param data the type-specific payload, validated against the type's schema
 * @param metadata free-form producer metadata
 */
public record NewEvent(
    String tenantId,
    String type,
    String subject,
    String idempotencyKey,
    Map<String, Object> data,
    Map<String, Object> metadata) {

  public NewEvent {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(type, "type");
    data = JsonValues.freezeObject(data, "data");
    metadata = JsonValues.freezeObject(metadata, "metadata");
  }

  /** An event with no subject, no idempotency key and no metadata. */
  public static NewEvent of(String tenantId, String type, Map<String, ?> data) {
    return new NewEvent(
        tenantId, type, null, null, JsonValues.freezeObject(data, "data"), Map.of());
  }

  public NewEvent withSubject(String subject) {
    return new NewEvent(tenantId, type, subject, idempotencyKey, data, metadata);
  }

  public NewEvent withIdempotencyKey(String idempotencyKey) {
    return new NewEvent(tenantId, type, subject, idempotencyKey, data, metadata);
  }

  public NewEvent withMetadata(Map<String, ?> metadata) {
    return new NewEvent(
        tenantId,
        type,
        subject,
        idempotencyKey,
        data,
        JsonValues.freezeObject(metadata, "metadata"));
  }
}
