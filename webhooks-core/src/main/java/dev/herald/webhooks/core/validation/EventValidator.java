package dev.herald.webhooks.core.validation;

import dev.herald.webhooks.api.InvalidEventException;
import dev.herald.webhooks.api.InvalidEventException.Reason;
import dev.herald.webhooks.api.NewEvent;
import dev.herald.webhooks.core.json.JsonWriter;
import dev.herald.webhooks.core.registry.EventTypeRegistry;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks a published event: known type, data valid against the type's schema, well-formed envelope
 * fields, and size. Immutable and thread-safe.
 */
public final class EventValidator {
  /** Tenant ids are URL- and channel-safe: lower-case letters, digits, '-' and '_'. */
  public static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  static final int MAX_SUBJECT_LENGTH = 256;
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 256;

  private final EventTypeRegistry types;
  private final int maxPayloadBytes;

  /**
   * @param maxPayloadBytes the limit for data and metadata serialized as compact JSON
   */
  public EventValidator(EventTypeRegistry types, int maxPayloadBytes) {
    if (maxPayloadBytes < 1024) {
      throw new IllegalArgumentException("maxPayloadBytes must be >= 1024, was " + maxPayloadBytes);
    }
    this.types = types;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * @return the registered type of the event
   * @throws InvalidEventException naming the reason and the offending field
   */
  public EventTypeRegistry.Registered validate(NewEvent event) {
    if (!TENANT_ID.matcher(event.tenantId()).matches()) {
      throw new InvalidEventException(
          Reason.INVALID_ENVELOPE,
          "tenant_id",
          "tenant_id must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a"
              + " letter or digit");
    }
    checkText(event.subject(), "subject", MAX_SUBJECT_LENGTH);
    checkText(event.idempotencyKey(), "idempotency_key", MAX_IDEMPOTENCY_KEY_LENGTH);
    EventTypeRegistry.Registered registered =
        types
            .find(event.type())
            .orElseThrow(
                () ->
                    new InvalidEventException(
                        Reason.UNKNOWN_TYPE,
                        "type",
                        "unknown event type '"
                            + event.type()
                            + "'; GET /api/v1/event-types lists the known types"));
    int size = jsonSize(event.data(), "data") + jsonSize(event.metadata(), "metadata");
    if (size > maxPayloadBytes) {
      throw new InvalidEventException(
          Reason.TOO_LARGE,
          "data",
          "data and metadata take "
              + size
              + " bytes as JSON; the limit is "
              + maxPayloadBytes
              + " bytes");
    }
    registered.schema().validate(event.data(), "data");
    return registered;
  }

  private static void checkText(String value, String field, int maxLength) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      throw new InvalidEventException(
          Reason.INVALID_ENVELOPE,
          field,
          field + " must be 1 to " + maxLength + " characters and not blank");
    }
    try {
      TextRules.check(field, value, maxLength, false);
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException(Reason.INVALID_ENVELOPE, field, e.getMessage());
    }
  }

  /**
   * The size of {@code value} as compact JSON; refuses what JSON cannot carry intact (a lone
   * surrogate, a number beyond a double's range), which in-process producers can pass.
   */
  private static int jsonSize(Object value, String field) {
    try {
      return JsonWriter.write(value, JsonWriter.Style.COMPACT)
          .getBytes(StandardCharsets.UTF_8)
          .length;
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException(
          Reason.INVALID_ENVELOPE, field, field + ": " + e.getMessage());
    }
  }
}
