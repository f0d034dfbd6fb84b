package dev.herald.webhooks.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of working on one claimed delivery, recorded in batches.
 *
 * @param deliveryId the delivery
 * @param attempt the attempt made, or null when none was (an open circuit postponed it)
 * @param next what happens to the delivery now
 */
public record DeliveryResult(String deliveryId, AttemptRecord attempt, Next next) {
  public DeliveryResult {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(next, "next");
  }

  /** The delivery's next state. */
  public sealed interface Next {}

  /** Delivered; nothing more to do. */
  public record Succeeded() implements Next {}

  /** Try again at {@code at}; counts the attempt. */
  public record RetryAt(Instant at) implements Next {}

  /** Not tried (circuit open, in-flight limit): try again at {@code at} without counting. */
  public record Postponed(Instant at) implements Next {}

  /** No more attempts: the delivery goes to the dead-letter queue. */
  public record Dead(String reason) implements Next {}
}
