package dev.herald.webhooks.api;

import java.util.Objects;

/**
 * The answer to a publish: the event id, and whether the event repeated one already accepted with
 * the same idempotency key (then {@code eventId} is the original's and nothing is delivered again).
 */
public record PublishResult(String eventId, boolean duplicate) {
  public PublishResult {
    Objects.requireNonNull(eventId, "eventId");
  }
}
