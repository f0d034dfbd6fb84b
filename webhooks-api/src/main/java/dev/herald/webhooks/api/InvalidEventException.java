package dev.herald.webhooks.api;

import java.util.Objects;

/** An event was refused before it was accepted; nothing was stored. */
public class InvalidEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an event was refused. */
  public enum Reason {
    /** No event type of that name is registered. */
    UNKNOWN_TYPE,
    /** The data does not match the type's schema. */
    SCHEMA_VIOLATION,
    /** The serialized event is larger than the configured limit. */
    TOO_LARGE,
    /** An envelope field (tenant, subject, idempotency key, metadata) is not acceptable. */
    INVALID_ENVELOPE
  }

  private final Reason reason;
  private final String field;

  /**
   * @param reason the kind of refusal
   * @param field the JSON path of the offending field ({@code data.memory_id}), or null
   * @param message a precise, user-facing explanation
   */
  public InvalidEventException(Reason reason, String field, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.field = field;
  }

  public Reason reason() {
    return reason;
  }

  /** The JSON path of the offending field, or null when the refusal is not about one field. */
  public String field() {
    return field;
  }
}
